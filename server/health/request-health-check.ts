import { getDb } from '../db/client.ts';
import { admit } from '../jobs/admission.ts';
import { enqueue } from '../jobs/enqueue.ts';

/** Checks waiting for a worker at once: more say nothing new and only fill the queue. */
export const MAX_QUEUED_HEALTH_CHECKS = 5;

/** Inserts a queued check and enqueues it in one transaction; the worker completes it. */
export async function requestHealthCheck(): Promise<{ id: string }> {
  return admit(
    {
      kind: 'health-check',
      active: (tx) => tx.healthCheck.count({ where: { status: 'queued' } }),
      limit: MAX_QUEUED_HEALTH_CHECKS,
      userMessage: `${MAX_QUEUED_HEALTH_CHECKS} checks are already waiting for a worker; their answers will show here.`,
    },
    async (tx) => {
      const row = await tx.healthCheck.create({ data: {} });
      await enqueue('healthCheck', { healthCheckId: row.id }, { tx });
      return { id: row.id };
    },
  );
}

export async function listHealthChecks(limit = 5) {
  return getDb().healthCheck.findMany({ orderBy: { createdAt: 'desc' }, take: limit });
}

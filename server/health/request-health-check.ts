import { getDb } from '../db.ts';
import { enqueue } from '../jobs/enqueue.ts';

/** Inserts a queued check and enqueues it; the worker completes it. */
export async function requestHealthCheck(): Promise<{ id: string }> {
  const row = await getDb().healthCheck.create({ data: {} });
  await enqueue('healthCheck', { healthCheckId: row.id });
  return { id: row.id };
}

export async function listHealthChecks(limit = 5) {
  return getDb().healthCheck.findMany({ orderBy: { createdAt: 'desc' }, take: limit });
}

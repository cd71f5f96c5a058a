import { describe, expect, it } from 'vitest';
import { getDb } from '../db/client.ts';
import { MAX_QUEUED_HEALTH_CHECKS, requestHealthCheck } from '../health/request-health-check.ts';
import { admit } from './admission.ts';
import { enqueue } from './enqueue.ts';

async function jobsFor(healthCheckId: string): Promise<number> {
  const rows = await getDb().$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM pgboss.job WHERE data->>'healthCheckId' = $1`, healthCheckId);
  return Number(rows[0].n);
}

describe('admit', () => {
  it('lets exactly `limit` of many concurrent requests in, and answers the rest BUSY', async () => {
    const db = getDb();
    await db.healthCheck.deleteMany({});
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => requestHealthCheck()));
    const admitted = results.filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ id: string }>[];
    expect(admitted).toHaveLength(MAX_QUEUED_HEALTH_CHECKS);
    for (const r of results)
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'BUSY', userMessage: expect.stringMatching(/already waiting/) });
    expect(await db.healthCheck.count({ where: { status: 'queued' } })).toBe(MAX_QUEUED_HEALTH_CHECKS);
    // Each admitted row has its job, enqueued in the same transaction.
    for (const r of admitted) expect(await jobsFor(r.value.id)).toBe(1);
    await db.healthCheck.deleteMany({});
  });

  it('rolls back the row AND its job when anything after the enqueue fails', async () => {
    const db = getDb();
    let id = '';
    const failed = admit({ kind: 'test-rollback', active: async () => 0, limit: 1, userMessage: 'busy' }, async (tx) => {
      id = (await tx.healthCheck.create({ data: {} })).id;
      await enqueue('healthCheck', { healthCheckId: id }, { tx });
      expect(await jobsFor(id)).toBe(0); // not visible outside the transaction yet
      throw new Error('crash between enqueue and commit');
    });
    await expect(failed).rejects.toThrow('crash between enqueue and commit');
    expect(await db.healthCheck.findUnique({ where: { id } })).toBeNull();
    expect(await jobsFor(id)).toBe(0);
  });
});

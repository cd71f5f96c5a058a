import { fromPrisma, type PrismaTransactionLike } from 'pg-boss';
import { getBoss } from './boss.ts';
import { JOB_DEFINITIONS, type JobName, type JobPayload } from './definitions.ts';

/**
 * Validates then enqueues: a malformed payload never reaches the queue. With `tx`, the job is
 * inserted in that Prisma transaction, so a run row and its jobs exist together or not at all
 * (a crash between the two left runs "queued" with nothing to run them).
 */
export async function enqueue<N extends JobName>(
  name: N,
  payload: JobPayload<N>,
  options: { singletonKey?: string; expireInSeconds?: number; tx?: PrismaTransactionLike } = {},
): Promise<string | null> {
  const def = JOB_DEFINITIONS[name];
  const data = def.schema.parse(payload);
  const boss = await getBoss();
  const { tx, ...rest } = options;
  return boss.send(def.queue, data, { ...def.queueOptions, ...rest, ...(tx ? { db: fromPrisma(tx) } : {}) });
}

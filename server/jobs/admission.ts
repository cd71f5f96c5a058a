import { getDb, type DbTransaction as Tx } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { getBoss } from './boss.ts';

/**
 * Check-and-create for queued work, atomic: the quota check, the row and its jobs (enqueue with
 * `tx`) commit together or not at all. A transaction-scoped advisory lock per kind serialises
 * concurrent requests (web servers and CLIs alike), so two of them cannot both see room for one.
 */
export async function admit<T>(
  o: { kind: string; active: (tx: Tx) => Promise<number>; limit: number; userMessage: string },
  create: (tx: Tx) => Promise<T>,
): Promise<T> {
  // pg-boss's own start-up (first use in a process) must not run while a transaction is held open.
  await getBoss();
  return getDb().$transaction(async (tx) => {
    await tx.$executeRawUnsafe('SELECT pg_advisory_xact_lock(hashtext($1))', `pixeldrive:admit:${o.kind}`);
    const active = await o.active(tx);
    if (active >= o.limit) throw new AppError('BUSY', `${o.kind}: ${active} active, limit ${o.limit}`, o.userMessage);
    return create(tx);
  });
}

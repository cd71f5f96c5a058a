import { ByteLru } from '../render/render-cache.ts';
import { getDb } from '../db/client.ts';

const g = globalThis as unknown as { __pixeldriveCompletedCounts?: ByteLru<number> };
/**
 * A completed run's predictions never change (every chunk is stored before it completes, a late
 * chunk of a finished run stores nothing, and they go only with the run), so its count is taken
 * once per process; an entry is a few dozen bytes.
 */
const completedCounts = (g.__pixeldriveCompletedCounts ??= new ByteLru<number>(100_000));

/**
 * Stored predictions of the given runs only. Prisma's `_count` of a relation counts the whole
 * Prediction table and joins the result (its SQL: a GROUP BY over every row, then LEFT JOIN): at
 * 200,000 rows that was 40 ms of every Runs page and API answer, and it grows with every run.
 */
export async function countPredictions(runs: readonly { id: string; status: string }[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const toCount: string[] = [];
  for (const r of runs) {
    const hit = r.status === 'completed' ? completedCounts.get(r.id) : undefined;
    if (hit === undefined) toCount.push(r.id);
    else out.set(r.id, hit);
  }
  if (toCount.length === 0) return out;
  const rows = await getDb().prediction.groupBy({ by: ['runId'], where: { runId: { in: toCount } }, _count: { _all: true } });
  for (const id of toCount) out.set(id, 0);
  for (const row of rows) out.set(row.runId, row._count._all);
  const counted = new Set(toCount);
  for (const r of runs) if (r.status === 'completed' && counted.has(r.id)) completedCounts.set(r.id, out.get(r.id)!, 1);
  return out;
}

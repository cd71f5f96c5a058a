import { getDb } from '../db/client.ts';

/**
 * Id of the newest completed evaluation run of each checkpoint on a dataset split, plain and
 * flip-averaged apart (each its own row): one grouped query on an index, instead of loading
 * every historical run.
 */
export async function latestCompletedRunIds(datasetId: string, split: string): Promise<string[]> {
  const db = getDb();
  const latest = await db.evaluationRun.groupBy({ by: ['checkpointId', 'tta'], where: { datasetId, split, status: 'completed' }, _max: { finishedAt: true } });
  if (!latest.length) return [];
  const runs = await db.evaluationRun.findMany({
    where: { datasetId, split, status: 'completed', OR: latest.map((l) => ({ checkpointId: l.checkpointId, tta: l.tta, finishedAt: l._max.finishedAt })) },
    select: { id: true, checkpointId: true, tta: true },
    orderBy: { createdAt: 'desc' },
  });
  const seen = new Set<string>();
  return runs.filter((r) => !seen.has(`${r.checkpointId}|${r.tta}`) && seen.add(`${r.checkpointId}|${r.tta}`)).map((r) => r.id);
}

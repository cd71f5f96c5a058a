import { getDb } from '../db.ts';
import { createEvaluationRun } from './create-evaluation-run.ts';

/** The embedded default: every checkpoint on the drive's val split and on the official frames, once. */
export const DEFAULT_EVALUATIONS = [
  { dataset: 'carla-drive', split: 'val' as const },
  { dataset: 'carla-official', split: 'test' as const },
];

export async function queueDefaultEvaluations(): Promise<number> {
  const db = getDb();
  const checkpoints = await db.checkpoint.findMany();
  let queued = 0;
  for (const target of DEFAULT_EVALUATIONS) {
    const dataset = await db.dataset.findUnique({ where: { name: target.dataset } });
    if (!dataset) continue;
    for (const ck of checkpoints) {
      const existing = await db.evaluationRun.findFirst({
        where: { checkpointId: ck.id, datasetId: dataset.id, split: target.split, status: { notIn: ['failed', 'cancelled'] } },
      });
      if (existing) continue;
      await createEvaluationRun({ checkpointId: ck.id, datasetId: dataset.id, split: target.split });
      queued++;
    }
  }
  return queued;
}

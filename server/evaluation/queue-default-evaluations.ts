import { getDb } from '../db/client.ts';
import { trainingRunEvaluateSchema } from '../schemas/checkpoint.ts';
import { createEvaluationRun } from './create-evaluation-run.ts';

/** The embedded default: every checkpoint on the drive's val split and on the official frames, once (with everything: calibration, boundary IoU). */
export const DEFAULT_EVALUATIONS = [
  { dataset: 'carla-drive', split: 'val' as const },
  { dataset: 'carla-official', split: 'test' as const },
];

/**
 * Queues the default evaluations of every checkpoint (or of those named) that does not have
 * them yet: safe to call again (at every start, or from a retried training job), it queues
 * nothing twice. A failed or cancelled run does not count, so calling again retries it.
 * Checkpoints of a training run started with evaluation switched off are left alone.
 */
export async function queueDefaultEvaluations({ checkpointIds }: { checkpointIds?: string[] } = {}): Promise<{ runIds: string[] }> {
  const db = getDb();
  const checkpoints = await db.checkpoint.findMany({
    where: checkpointIds ? { id: { in: checkpointIds } } : undefined,
    select: { id: true, trainingRuns: { select: { options: true } } },
  });
  // A run's stored options say whether its checkpoint is to be evaluated; those of shipped checkpoints do not say, so they are.
  const wanted = checkpoints.filter((ck) => ck.trainingRuns.every((t) => trainingRunEvaluateSchema.safeParse(t.options).data?.evaluate !== false));
  const runIds: string[] = [];
  for (const target of DEFAULT_EVALUATIONS) {
    const dataset = await db.dataset.findUnique({ where: { name: target.dataset } });
    if (!dataset) continue;
    for (const ck of wanted) {
      const existing = await db.evaluationRun.findFirst({
        where: { checkpointId: ck.id, datasetId: dataset.id, split: target.split, tta: 'none', status: { notIn: ['failed', 'cancelled'] } },
      });
      if (existing) continue;
      runIds.push((await createEvaluationRun({ checkpointId: ck.id, datasetId: dataset.id, split: target.split })).runId);
    }
  }
  return { runIds };
}

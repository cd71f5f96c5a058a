import { getDb } from '../db/client.ts';
import { queueDefaultEvaluations } from '../evaluation/queue-default-evaluations.ts';

/**
 * Train → evaluate → rank: once a training run started here has registered its checkpoint, the
 * evaluations the first start runs for the shipped models are queued for it (unless the run was
 * started with evaluation off). Idempotent: a retried training job calls it again and nothing is
 * queued twice.
 */
export async function queueTrainedEvaluations({ runId }: { runId: string }): Promise<{ runIds: string[] }> {
  const run = await getDb().trainingRun.findUnique({ where: { id: runId }, select: { status: true, checkpointId: true } });
  if (run?.status !== 'completed' || !run.checkpointId) return { runIds: [] };
  return queueDefaultEvaluations({ checkpointIds: [run.checkpointId] });
}

import { z } from 'zod';
import { architectureSchema } from '../../models/config.ts';
import { newestCheckpointPerNetwork } from '../checkpoints/list-checkpoints.ts';
import { getDb } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { createEvaluationRun, createEvaluationSchema } from './create-evaluation-run.ts';

const createEvaluationRunsSchema = createEvaluationSchema.omit({ checkpointId: true }).extend({
  /** 'all': the newest checkpoint of each network; an architecture: the newest of each of its networks (pretrained, random init); { id }: that checkpoint. */
  models: z.union([z.literal('all'), architectureSchema, z.object({ checkpointId: createEvaluationSchema.shape.checkpointId })]),
});
type CreateEvaluationRunsInput = z.input<typeof createEvaluationRunsSchema>;

interface QueuedEvaluation {
  runId: string;
  chunks: number;
  checkpointId: string;
  checkpointName: string;
}

/**
 * "Evaluate all models" (or one architecture, or one checkpoint): resolves the checkpoints
 * and queues one evaluation run each. The web form and the CLI both go through here, so
 * "all" means the same thing in both.
 */
export async function createEvaluationRuns(input: CreateEvaluationRunsInput): Promise<QueuedEvaluation[]> {
  const { models, ...target } = createEvaluationRunsSchema.parse(input);
  const checkpoints =
    typeof models === 'object'
      ? await getDb().checkpoint.findMany({ where: { id: models.checkpointId }, select: { id: true, arch: true, name: true } })
      : await newestCheckpointPerNetwork({ arch: models === 'all' ? undefined : models });
  if (!checkpoints.length) {
    if (typeof models === 'object') throw new AppError('NOT_FOUND', `checkpoint ${models.checkpointId} not found`, 'That model no longer exists.');
    throw new AppError('NOT_FOUND', `no checkpoint registered for ${models === 'all' ? 'any architecture' : models}`, 'No trained model is registered yet.');
  }
  const runs: QueuedEvaluation[] = [];
  for (const ck of checkpoints) {
    const { runId, chunks } = await createEvaluationRun({ ...target, checkpointId: ck.id });
    runs.push({ runId, chunks, checkpointId: ck.id, checkpointName: ck.name });
  }
  return runs;
}

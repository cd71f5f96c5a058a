import { z } from 'zod';
import { getDb } from '../db/client.ts';
import { ignorePolicySchema, SPLITS } from '../schemas/dataset.ts';
import { parseJson } from '../schemas/common.ts';
import { AppError } from '../errors.ts';
import { admit } from '../jobs/admission.ts';
import { enqueue } from '../jobs/enqueue.ts';
import { UNFINISHED_EVALUATION_STATUSES } from '../run-status.ts';
import { ttaSchema } from '../inference/tta.ts';
import { costMatrixProblem, defaultCostMatrix } from '../metrics/safety-weighted-error.ts';
import { costMatrixSchema, DEFAULT_QUALITY_OPTIONS, qualityOptionsSchema } from '../schemas/quality.ts';
import { createRobustnessRow } from '../robustness/robustness-run.ts';
import { robustnessSpecSchema } from '../schemas/robustness.ts';

/** Images per job: any worker sharing the database takes the next chunk; a crash repeats at most one. */
export const DEFAULT_CHUNK_SIZE = 16;

export const createEvaluationSchema = z.object({
  checkpointId: z.string().min(1).max(64),
  datasetId: z.string().min(1).max(64),
  split: z.enum(SPLITS),
  chunkSize: z.number().int().min(1).max(64).default(DEFAULT_CHUNK_SIZE),
  tta: ttaSchema.default('none'),
  /**
   * Metrics beyond mIoU that cost CPU per frame (docs/metrics.md, "Beyond mIoU"). On unless
   * switched off, so that no page a newcomer reaches says "not computed".
   */
  calibration: z.boolean().default(DEFAULT_QUALITY_OPTIONS.calibration),
  boundary: z.boolean().default(DEFAULT_QUALITY_OPTIONS.boundary),
  /** Cost of truth × prediction for the safety-weighted error; the default matrix when absent. Checked by costMatrixProblem. */
  costMatrix: z.unknown().optional(),
  /** Set: a robustness run (server/robustness), every frame also scored under these corruptions. */
  robustness: robustnessSpecSchema.optional(),
});
export type CreateEvaluationInput = z.input<typeof createEvaluationSchema>;

/** Evaluations queued or in progress at once: the first start queues 6; a form or a script cannot queue hundreds. */
export const MAX_ACTIVE_EVALUATION_RUNS = 24;

/**
 * Inserts a queued evaluation run and enqueues its chunks; returns at once. Workers
 * anywhere that share the database process the chunks; progress = stored predictions /
 * total. The run records the dataset's ignore policy.
 */
export async function createEvaluationRun(input: CreateEvaluationInput): Promise<{ runId: string; chunks: number }> {
  const { checkpointId, datasetId, split, chunkSize, tta, calibration, boundary, costMatrix: askedCost, robustness } = createEvaluationSchema.parse(input);
  const problem = askedCost === undefined ? null : costMatrixProblem(askedCost);
  if (problem) throw new AppError('INVALID_INPUT', `cost matrix refused: ${problem}`, `The cost matrix was refused: ${problem}.`);
  const costMatrix = askedCost === undefined ? defaultCostMatrix() : parseJson(costMatrixSchema, askedCost, 'cost matrix');
  const db = getDb();
  const [checkpoint, dataset] = await Promise.all([
    db.checkpoint.findUnique({ where: { id: checkpointId } }),
    db.dataset.findUnique({ where: { id: datasetId } }),
  ]);
  if (!checkpoint) throw new AppError('NOT_FOUND', `checkpoint ${checkpointId} not found`, 'That model no longer exists.');
  if (!dataset) throw new AppError('NOT_FOUND', `dataset ${datasetId} not found`, 'That dataset no longer exists.');
  if (tta !== 'none' && checkpoint.source !== 'trained') {
    throw new AppError(
      'INVALID_INPUT',
      `tta ${tta} for ${checkpoint.source} checkpoint ${checkpoint.id}`,
      `Flip averaging needs the model's scores: it is available for PixelDrive's own checkpoints, not for ${checkpoint.name} (${checkpoint.source}).`,
    );
  }
  const images = await db.datasetImage.findMany({ where: { datasetId, split }, select: { id: true }, orderBy: { key: 'asc' } });
  if (images.length === 0)
    throw new AppError('INVALID_INPUT', `dataset ${dataset.name} has no ${split} images`, `${dataset.name} has no images in the ${split} split.`);
  const ignorePolicy = parseJson(ignorePolicySchema, dataset.ignorePolicy, `dataset ${dataset.name} ignore policy`);
  const chunks: string[][] = [];
  for (let i = 0; i < images.length; i += chunkSize) chunks.push(images.slice(i, i + chunkSize).map((x) => x.id));
  // The quota check, the run and its chunks in one transaction: all of it, or none.
  return admit(
    {
      kind: 'evaluation',
      active: (tx) => tx.evaluationRun.count({ where: { status: { in: UNFINISHED_EVALUATION_STATUSES } } }),
      limit: MAX_ACTIVE_EVALUATION_RUNS,
      userMessage: `${MAX_ACTIVE_EVALUATION_RUNS} evaluations are already queued or running; wait for some to finish or cancel some.`,
    },
    async (tx) => {
      const run = await tx.evaluationRun.create({ data: { checkpointId, datasetId, split, totalImages: images.length, chunkSize, ignorePolicy, tta } });
      await tx.runQuality.create({
        data: { runId: run.id, costMatrix, options: parseJson(qualityOptionsSchema, { calibration, boundary }, 'quality options') },
      });
      if (robustness) await createRobustnessRow(tx, run.id, robustness);
      for (const [chunk, imageIds] of chunks.entries()) {
        await enqueue('evaluationChunk', { runId: run.id, chunk, imageIds }, { singletonKey: `${run.id}:${chunk}`, tx });
      }
      return { runId: run.id, chunks: chunks.length };
    },
  );
}

import { z } from 'zod';
import { ARCH_SIZE_MULTIPLE, architectureSchema } from '../../models/config.ts';
import { getDb } from '../db/client.ts';
import { ignorePolicySchema } from '../schemas/dataset.ts';
import { parseJson } from '../schemas/common.ts';
import { AppError } from '../errors.ts';
import { admit } from '../jobs/admission.ts';
import { enqueue } from '../jobs/enqueue.ts';
import { UNFINISHED_TRAINING_STATUSES } from '../run-status.ts';
import { trainingJobOptions } from '../jobs/training-job-options.ts';
import { DEFAULT_TRAIN, DEFAULT_TRAIN_INPUT, DEFAULT_TRAIN_WIDTH, RECIPE_INGREDIENTS } from './train-defaults.ts';

/** The options' fields (the Runs form picks from them); `startTrainingSchema` adds the checks across fields. */
export const trainingOptionsFields = z.object({
  arch: architectureSchema,
  epochs: z.number().int().min(1).max(200).default(DEFAULT_TRAIN.epochs),
  /** Channels of the scratch networks' first stage (the encoder networks have none). */
  width: z.number().int().min(2).max(64).default(DEFAULT_TRAIN_WIDTH),
  /** Where an encoder network's encoder starts: the nsfwjs package's weights, or random (the control). Ignored by the scratch networks. */
  encoderInit: z.enum(['nsfwjs', 'random']).default('nsfwjs'),
  /** The network's input: whole frames resized to it, trained on whole (the CLI's `--input`). */
  input: z.object({ width: z.number().int().min(32).max(1024), height: z.number().int().min(32).max(1024) }).default({ ...DEFAULT_TRAIN_INPUT }),
  batchSize: z.number().int().min(1).max(32).default(DEFAULT_TRAIN.batchSize),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(DEFAULT_TRAIN.seed),
  // The recipe's ingredients (docs/training.md, "The recipe"); absent = the recipe's choice.
  photometric: z.boolean().default(RECIPE_INGREDIENTS.photometric),
  weather: z.boolean().default(RECIPE_INGREDIENTS.weather),
  ohem: z.boolean().default(RECIPE_INGREDIENTS.ohem),
  lovasz: z.boolean().default(RECIPE_INGREDIENTS.lovasz),
  scale: z.boolean().default(RECIPE_INGREDIENTS.scale),
  /** Queue the default evaluations (val and official frames) for the checkpoint this run registers; off by the form or `--no-evaluate`. */
  evaluate: z.boolean().default(true),
});
export const startTrainingSchema = trainingOptionsFields.superRefine((o, ctx) => {
  const m = ARCH_SIZE_MULTIPLE[o.arch];
  if (o.input.width % m || o.input.height % m)
    ctx.addIssue({
      code: 'custom',
      path: ['input'],
      message: `${o.arch} takes input sizes that are multiples of ${m}, got ${o.input.width}×${o.input.height}`,
    });
});
type StartTrainingInput = z.input<typeof startTrainingSchema>;

/** Queued + running at once: a bound so that the form cannot flood the queue with hour-long jobs. */
const MAX_ACTIVE_TRAINING_RUNS = 3;

/** Queues a training run on the embedded drive; the worker runs it and registers the checkpoint. */
export async function startTrainingRun(input: StartTrainingInput): Promise<{ runId: string }> {
  const opts = startTrainingSchema.parse(input);
  const db = getDb();
  const dataset = await db.dataset.findUnique({ where: { name: 'carla-drive' } });
  return admit(
    {
      kind: 'training',
      active: (tx) => tx.trainingRun.count({ where: { status: { in: UNFINISHED_TRAINING_STATUSES } } }),
      limit: MAX_ACTIVE_TRAINING_RUNS,
      userMessage: `${MAX_ACTIVE_TRAINING_RUNS} training runs are already queued or running; wait for one to finish or cancel one.`,
    },
    async (tx) => {
      const run = await tx.trainingRun.create({
        data: {
          arch: opts.arch,
          options: opts,
          trainedHere: true,
          datasetId: dataset?.id,
          epochsTotal: opts.epochs,
          ignorePolicy: dataset ? parseJson(ignorePolicySchema, dataset.ignorePolicy, `dataset ${dataset.name} ignore policy`) : undefined,
        },
      });
      await enqueue('training', { runId: run.id }, { ...trainingJobOptions(opts.epochs), tx });
      return { runId: run.id };
    },
  );
}

/**
 * Cancel, or with `keepBest` "Stop and keep best": a running run stops after its current step and
 * registers its best epoch so far (then evaluated and ranked like a finished run). A run that has
 * not started, or whose worker is gone, has nothing in hand to keep and is simply cancelled.
 */
export async function cancelTrainingRun({ runId, keepBest = false }: { runId: string; keepBest?: boolean }): Promise<void> {
  const db = getDb();
  // Nothing is training it right now: cancelled at once (a later retry of its job sees that and stops).
  const r = await db.trainingRun.updateMany({
    where: { id: runId, status: { in: ['queued', 'interrupted'] } },
    data: { status: 'cancelled', finishedAt: new Date(), error: 'cancelled by user' },
  });
  if (r.count) return;
  // Its worker stops at the next step; if that worker is gone, the repair sweep cancels it.
  const running = await db.trainingRun.updateMany({ where: { id: runId, status: 'running' }, data: { cancelRequested: true, keepBestOnStop: keepBest } });
  if (!running.count) throw new AppError('CONFLICT', `training run ${runId} already finished`, 'This training run has already finished.');
}

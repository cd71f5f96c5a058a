import { z } from 'zod';
import { ARCHITECTURES } from '../../models/config.ts';
import { nullableNumber } from './common.ts';
import { ignorePolicySchema } from './dataset.ts';
import { perClassIouSchema } from './evaluation.ts';

/** The shapes of a checkpoint's JSON: `card.json` and `history.json` beside it, Checkpoint `card`, TrainingRun `options`. */

/**
 * What a TrainingRun's `options` says about evaluation, whichever shape they have (a run started
 * here: server/training/start-training-run.ts; a registered checkpoint's: its card's `training`):
 * `false` (the form's box, `train --no-evaluate`) = its checkpoint gets none of the default
 * evaluations; absent = it does.
 */
export const trainingRunEvaluateSchema = z.object({ evaluate: z.boolean().optional() });

/** How a checkpoint was trained: a card's `training`, and the TrainingRun `options` of a registered checkpoint. */
const cardTrainingSchema = z.object({
  epochs: z.number().int().nonnegative(),
  batchSize: z.number().int().nonnegative(),
  crop: z.string(),
  optimizer: z.string(),
  lossFn: z.string(),
  classWeights: z.array(z.number()),
  seed: z.number().int(),
  augmentation: z.string().optional(),
  backend: z.string(),
  wallSeconds: z.number().nonnegative(),
  /** false (`train --no-evaluate`): registering the checkpoint queues none of the default evaluations. */
  evaluate: trainingRunEvaluateSchema.shape.evaluate,
});

/** The model card (`card.json` beside each checkpoint, Checkpoint `card`). */
export const modelCardSchema = z.object({
  arch: z.enum(ARCHITECTURES),
  name: z.string(),
  /** A copy for readers of the card alone; the manifest's config (validated by the architecture) is the one that runs. */
  config: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.array(z.number())])),
  params: z.number().int().nonnegative(),
  gflopsPerImage: z.number().nonnegative(),
  inputSize: z.string(),
  dataset: z.object({
    root: z.string(),
    contentHash: z.string(),
    splitFingerprint: z.string(),
    trainFrames: z.number().int().nonnegative(),
    valFrames: z.number().int().nonnegative(),
    ignorePolicy: ignorePolicySchema,
  }),
  training: cardTrainingSchema,
  /** Where a pretrained encoder's starting weights came from (models/backbones/pretrained-encoder.ts); absent when none did. */
  encoder: z.object({ package: z.string(), version: z.string(), licence: z.string(), network: z.string(), trainedOn: z.string() }).optional(),
  bestEpoch: z.number().int().nonnegative(),
  /** Held-out training blocks the best epoch was chosen on (cards from before the selection split have none). */
  selection: z
    .object({
      every: z.number().int(),
      offset: z.number().int(),
      frames: z.number().int(),
      blocks: z.array(z.number().int()),
      miou: z.number(),
      chose: z.string(),
    })
    .optional(),
  valMiou: z.number(),
  valPerClassIou: z.record(z.string(), nullableNumber),
  /** Filled by `npm run cli -- card` after evaluating on the official frames. */
  officialMiou: nullableNumber.optional(),
  officialPerClassIou: z.array(nullableNumber).optional(),
  weightsSha256: z.string(),
});
export type ModelCard = z.infer<typeof modelCardSchema>;

/**
 * A card recorded by a sweep (bench-results/<sweep>/<run>/card.json), imported as a finished
 * training run (TrainingRun `card`): the model card's shape with every field but the
 * architecture optional, so that a field a card lacks is imported as unknown and one it holds
 * in the wrong shape is refused.
 */
export const recordedCardSchema = modelCardSchema.partial().extend({
  arch: modelCardSchema.shape.arch,
  dataset: modelCardSchema.shape.dataset.partial().optional(),
  training: cardTrainingSchema.partial().optional(),
});
export type RecordedCard = z.infer<typeof recordedCardSchema>;

/** Checkpoint `card` of an imported ONNX model or an int8/fp16 variant (server/onnx-import). */
export const importedCardSchema = z.object({
  source: z.enum(['imported', 'int8', 'fp16']),
  fileName: z.string().nullable(),
  fileSha256: z.string().regex(/^[0-9a-f]{64}$/),
  producer: z.string().nullable(),
  opset: z.number().int().positive(),
  /** Size the model is fed at (for "any": an 800×600 frame's), which GFLOP refers to. */
  inputSize: z.string(),
  /** Model classes mapped to no CARLA class (left out of the argmax). */
  unmappedClasses: z.array(z.string()),
});

/** One epoch of a training run: `history.json` beside a checkpoint (JSON writes NaN as null). */
const epochRecordSchema = z.object({
  epoch: z.number().int().positive(),
  trainLoss: z.number(),
  valLoss: z.number(),
  valMiou: z.number(),
  valPixelAccuracy: z.number(),
  valPerClassIou: perClassIouSchema,
  lr: z.number(),
  seconds: z.number().nonnegative(),
  isBest: z.boolean(),
});
export const epochHistorySchema = z.array(epochRecordSchema);

import { z } from 'zod';
import { IGNORE_INDEX, NUM_CLASSES } from '../models/classes.ts';
import { ARCHITECTURES } from '../models/config.ts';
import { LABEL_FORMS, LABEL_PALETTES } from './dataset/label-forms.ts';
import { SPLITS } from './dataset/split.ts';

/**
 * The shapes of the JSON columns (and of the JSON files beside a checkpoint), one zod
 * schema each. Writers parse before they store and readers parse what they load, so a
 * column never holds, and a page never trusts, a shape that nobody declared.
 */

const nullableNumber = z.number().nullable();
const pixelCount = z.number().int().nonnegative();

/** How pixels were excluded: Dataset, EvaluationRun and TrainingRun `ignorePolicy`, a card's `dataset.ignorePolicy`. */
export const ignorePolicySchema = z.object({
  ignoreIndex: z.literal(IGNORE_INDEX),
  hood: z.enum(['ignore', 'keep']),
  hoodThreshold: z.number().gt(0).max(1),
});
export type IgnorePolicy = z.infer<typeof ignorePolicySchema>;

/** Labelled pixels per class: DatasetImage `classPixels`. */
export const classPixelsSchema = z.array(pixelCount).length(NUM_CLASSES);

/** Labelled pixels per class in each split: Dataset `classPixels`. */
export const splitClassPixelsSchema = z.object(
  Object.fromEntries(SPLITS.map((s) => [s, classPixelsSchema])) as Record<(typeof SPLITS)[number], typeof classPixelsSchema>,
);

/** Pixels stored as 255 (ignore) in the label files of each split: Dataset `voidPixels` ({} on rows registered before it was counted). */
export const splitVoidPixelsSchema = z.object(Object.fromEntries(SPLITS.map((s) => [s, pixelCount])) as Record<(typeof SPLITS)[number], typeof pixelCount>).or(
  z
    .object({})
    .strict()
    .transform(() => ({ train: 0, val: 0, test: 0 })),
);

/** Frames per label form: Dataset `labelForms` ({} on rows registered before forms were recorded). */
export const labelFormsSchema = z.partialRecord(z.enum(LABEL_FORMS), z.number().int().nonnegative());

/** The colour palette a dataset's labels are stored in: Dataset `labelPalette` (null: ids stored directly). */
export const labelPaletteSchema = z.enum(LABEL_PALETTES).nullable();

/** Hood mask per subset as a base64 label PNG (255 = hood): Dataset `hoodMasks`. */
export const hoodMasksSchema = z.record(z.string(), z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64'));

/** A square confusion matrix as rows (truth) of columns (prediction): EvaluationRun and Prediction `confusion`. */
export const confusionRowsSchema = z
  .array(z.array(z.number().nonnegative()))
  .length(NUM_CLASSES)
  .refine((rows) => rows.every((r) => r.length === rows.length), 'must be a square matrix');

/** A finished run's headline numbers: EvaluationRun `metrics` (null = undefined, e.g. no class counted). */
export const evaluationMetricsSchema = z.object({
  miou: nullableNumber,
  miouLow: nullableNumber,
  miouHigh: nullableNumber,
  pixelAccuracy: nullableNumber,
  fwIou: nullableNumber,
  classesCounted: z.number().int().nonnegative(),
  meanImageMiou: nullableNumber,
  bootstrap: z.object({ resamples: z.number().int().positive(), seed: z.number().int(), confidence: z.number().gt(0).lt(1), unit: z.string() }),
  images: z.number().int().nonnegative(),
});

/** IoU per class id, null where undefined: TrainingEpoch `perClassIou`. */
export const perClassIouSchema = z.array(nullableNumber).length(NUM_CLASSES);

/** Share of the mask per predicted class, largest first: PlaygroundPrediction `classPercents`. */
export const classPercentsSchema = z.array(
  z.object({
    classId: z
      .number()
      .int()
      .min(0)
      .max(NUM_CLASSES - 1),
    percent: z.number().min(0).max(100),
  }),
);
export type ClassPercent = z.infer<typeof classPercentsSchema>[number];

/** How a checkpoint was trained: a card's `training`, and the TrainingRun `options` of a registered checkpoint. */
export const cardTrainingSchema = z.object({
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
  evaluate: z.boolean().optional(),
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
export const epochRecordSchema = z.object({
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

/**
 * Parses a stored or loaded JSON value. A value that does not fit is corrupt data, named
 * with where it came from, never passed on as if it did.
 */
export function parseJson<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new Error(`${where}: ` + r.error.issues.map((i) => `${i.path.join('.') || '(value)'} ${i.message}`).join('; '));
  return r.data;
}

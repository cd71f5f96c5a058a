import { z } from 'zod';
import { NUM_CLASSES } from '../../models/classes.ts';
import { bootstrapSettingsSchema, classIdSchema, nullableNumber } from './common.ts';

/** The shapes of an evaluation's JSON columns (EvaluationRun, Prediction, TrainingEpoch, PlaygroundPrediction). */

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
  bootstrap: bootstrapSettingsSchema,
  images: z.number().int().nonnegative(),
});

/** IoU per class id, null where undefined: TrainingEpoch `perClassIou`. */
export const perClassIouSchema = z.array(nullableNumber).length(NUM_CLASSES);

/** Share of the mask per predicted class, largest first: PlaygroundPrediction `classPercents`. */
export const classPercentsSchema = z.array(
  z.object({
    classId: classIdSchema,
    percent: z.number().min(0).max(100),
  }),
);
export type ClassPercent = z.infer<typeof classPercentsSchema>[number];

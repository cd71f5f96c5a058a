import { z } from 'zod';
import { NUM_CLASSES } from '../../models/classes.ts';

/**
 * The JSON columns (and the JSON files beside a checkpoint) each have one zod schema, in this
 * folder: writers parse before they store and readers parse what they load, so a column never
 * holds, and a page never trusts, a shape that nobody declared. This file holds the pieces
 * several of them share; each subject has a file of its own (dataset, evaluation, checkpoint,
 * quality, robustness).
 */

export const nullableNumber = z.number().nullable();

/** A CARLA class id, 0..12. */
export const classIdSchema = z
  .number()
  .int()
  .min(0)
  .max(NUM_CLASSES - 1);

/** A number with its bootstrap interval (null = undefined, e.g. a class absent everywhere). */
export const intervalSchema = z.object({ estimate: nullableNumber, low: nullableNumber, high: nullableNumber });
export type StoredInterval = z.infer<typeof intervalSchema>;

/** How a stored interval was resampled: EvaluationRun `metrics.bootstrap`, RobustnessRun `results.bootstrap`. */
export const bootstrapSettingsSchema = z.object({
  resamples: z.number().int().positive(),
  seed: z.number().int(),
  confidence: z.number().gt(0).lt(1),
  unit: z.string(),
});

/**
 * Parses a stored or loaded JSON value. A value that does not fit is corrupt data, named
 * with where it came from, never passed on as if it did.
 */
export function parseJson<S extends z.ZodType>(schema: S, value: unknown, where: string): z.infer<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new Error(`${where}: ` + r.error.issues.map((i) => `${i.path.join('.') || '(value)'} ${i.message}`).join('; '));
  return r.data;
}

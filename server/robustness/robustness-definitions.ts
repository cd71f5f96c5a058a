import { z } from 'zod';
import { NUM_CLASSES } from '../../models/classes.ts';
import { confusionRowsSchema } from '../schemas/evaluation.ts';
import { CORRUPTIONS, MAX_SEVERITY } from './corruptions.ts';

/**
 * The shapes of the robustness JSON columns (RobustnessRun, RobustnessImage), parsed where
 * they are written and where they are read. Kept beside the robustness code rather than in
 * server/definitions.ts so that the robustness mode stays one folder.
 */

const nullableNumber = z.number().nullable();

export const corruptionSchema = z.enum(CORRUPTIONS);
export const severitySchema = z.number().int().min(1).max(MAX_SEVERITY);

/** RobustnessRun `corruptions` and `severities`: what the run applies, in report order, no repeats. */
export const corruptionListSchema = z
  .array(corruptionSchema)
  .min(1)
  .refine((xs) => new Set(xs).size === xs.length, 'lists a corruption twice');
export const severityListSchema = z
  .array(severitySchema)
  .min(1)
  .refine((xs) => xs.every((s, i) => i === 0 || s > xs[i - 1]), 'must be increasing without repeats');

/** RobustnessImage `confusions`: per corruption, one 13x13 confusion matrix per severity of the run. */
export const imageConfusionsSchema = z.partialRecord(corruptionSchema, z.array(confusionRowsSchema).min(1));
export type ImageConfusions = z.infer<typeof imageConfusionsSchema>;

/** A number with its 95% bootstrap interval (null = undefined, e.g. a class absent everywhere). */
export const intervalSchema = z.object({ estimate: nullableNumber, low: nullableNumber, high: nullableNumber });
export type StoredInterval = z.infer<typeof intervalSchema>;

const perClassIntervals = z.array(intervalSchema).length(NUM_CLASSES);

/** RobustnessRun `results`, written when the run finalises. */
export const robustnessResultsSchema = z.object({
  clean: z.object({ miou: intervalSchema, perClass: perClassIntervals }),
  corruptions: z.array(
    z.object({
      corruption: corruptionSchema,
      severities: z.array(z.object({ severity: severitySchema, miou: intervalSchema, perClass: perClassIntervals })),
    }),
  ),
  /** Mean mIoU over every corruption × severity. */
  mpc: intervalSchema,
  /** mpc / clean mIoU. */
  rpc: intervalSchema,
  perClass: z
    .array(
      z.object({
        classId: z
          .number()
          .int()
          .min(0)
          .max(NUM_CLASSES - 1),
        mpc: intervalSchema,
        rpc: intervalSchema,
      }),
    )
    .length(NUM_CLASSES),
  bootstrap: z.object({ resamples: z.number().int().positive(), seed: z.number().int(), confidence: z.number().gt(0).lt(1), unit: z.string() }),
  images: z.number().int().positive(),
});
export type RobustnessResults = z.infer<typeof robustnessResultsSchema>;

/** What a robustness evaluation applies: by default every corruption at every severity. */
export const robustnessSpecSchema = z.object({
  corruptions: corruptionListSchema.default([...CORRUPTIONS]),
  severities: severityListSchema.default([1, 2, 3, 4, 5]),
});
export type RobustnessSpec = z.output<typeof robustnessSpecSchema>;

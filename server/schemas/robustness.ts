import { z } from 'zod';
import { NUM_CLASSES } from '../../models/classes.ts';
import { bootstrapSettingsSchema, classIdSchema, intervalSchema } from './common.ts';
import { confusionRowsSchema } from './evaluation.ts';

/** The shapes of the robustness JSON columns (RobustnessRun, RobustnessImage) and the corruption names they store. */

/**
 * The camera-side corruptions, in report order (their functions and severity table:
 * server/robustness/corruptions.ts). Severities run 1..MAX_SEVERITY.
 */
export const CORRUPTIONS = ['fog', 'rain', 'dusk', 'overexposure', 'contrast', 'gaussian-noise', 'motion-blur', 'jpeg'] as const;
export type Corruption = (typeof CORRUPTIONS)[number];
export const MAX_SEVERITY = 5;

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
        classId: classIdSchema,
        mpc: intervalSchema,
        rpc: intervalSchema,
      }),
    )
    .length(NUM_CLASSES),
  bootstrap: bootstrapSettingsSchema,
  images: z.number().int().positive(),
});
export type RobustnessResults = z.infer<typeof robustnessResultsSchema>;

/** What a robustness evaluation applies: by default every corruption at every severity. */
export const robustnessSpecSchema = z.object({
  corruptions: corruptionListSchema.default([...CORRUPTIONS]),
  severities: severityListSchema.default([1, 2, 3, 4, 5]),
});
export type RobustnessSpec = z.output<typeof robustnessSpecSchema>;

import { z } from 'zod';
import { IGNORE_INDEX, NUM_CLASSES } from '../../models/classes.ts';

/** The shapes of a dataset's JSON columns (Dataset, DatasetImage) and the names they store. */

const pixelCount = z.number().int().nonnegative();

/** The splits of a dataset, as DatasetImage `split` and the keys of Dataset `classPixels` store them. */
export const SPLITS = ['train', 'val', 'test'] as const;
export type SplitName = (typeof SPLITS)[number];

/**
 * How a label PNG stores its class ids. Read from the PNG header (and the dataset's palette
 * option), never guessed from pixel values:
 * - `red-channel`: RGB(A), id in red, green and blue 0 (the Lyft/Udacity CARLA captures);
 * - `grey`: single-channel (grey or grey + alpha), the grey value is the id (also RGB with
 *   red = green = blue everywhere, as sharp writes one-channel data);
 * - `palette-index`: an indexed PNG whose index is the id (what PIL writes for a class-id array);
 * - `carla-colour`: RGB(A) or indexed pixels in CARLA's semantic colour palette (`--palette carla`).
 */
export const LABEL_FORMS = ['red-channel', 'grey', 'palette-index', 'carla-colour'] as const;
export type LabelForm = (typeof LABEL_FORMS)[number];

/** A colour palette a dataset's labels may be stored in (`data import --palette carla`). */
export const LABEL_PALETTES = ['carla'] as const;
export type LabelPalette = (typeof LABEL_PALETTES)[number];

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

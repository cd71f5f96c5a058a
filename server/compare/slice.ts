import { z } from 'zod';
import { CLASSES, NUM_CLASSES } from '../../models/classes.ts';
import { backfillBrightness } from '../dataset/brightness.ts';
import { getDb } from '../db/client.ts';
import { classPixelsSchema } from '../schemas/dataset.ts';
import { parseJson } from '../schemas/common.ts';
import { AppError } from '../errors.ts';

const frame = z.coerce.number().int().min(0);
const classId = z.coerce
  .number()
  .int()
  .min(0)
  .max(NUM_CLASSES - 1);
/** Mean brightness bounds on the 0–255 luma scale of server/dataset/brightness.ts. */
const luma = z.coerce.number().min(0).max(255);

/**
 * A slice of a dataset split, as the URL holds it: a frame index range (position in the dataset's
 * frames in time order, inclusive), a class that must be in the truth, optionally at least
 * `share` of the frame's labelled pixels, and a mean brightness range (inclusive, 0–255). Every
 * field optional: the empty slice is the split.
 */
export const sliceSchema = z
  .object({
    from: frame.optional(),
    to: frame.optional(),
    has: classId.optional(),
    share: z.coerce.number().gt(0).max(1).optional(),
    brightMin: luma.optional(),
    brightMax: luma.optional(),
  })
  .refine((s) => s.from === undefined || s.to === undefined || s.from <= s.to, 'the first frame comes after the last')
  .refine((s) => s.share === undefined || s.has !== undefined, 'a minimum share needs a class')
  .refine((s) => s.brightMin === undefined || s.brightMax === undefined || s.brightMin <= s.brightMax, 'the lowest brightness is above the highest');
export type Slice = z.infer<typeof sliceSchema>;

export const SLICE_KEYS = ['from', 'to', 'has', 'share', 'brightMin', 'brightMax'] as const;

/** The slice named by URL parameters (empty values are unset); a bad value is a clear error. */
export function parseSlice(params: Record<string, string | string[] | undefined>): Slice {
  return checkSlice(Object.fromEntries(SLICE_KEYS.flatMap((k) => (typeof params[k] === 'string' && params[k] !== '' ? [[k, params[k]]] : []))));
}

/** A slice from its fields (strings from a form or numbers); a bad value is a clear error. */
export function checkSlice(raw: Partial<Record<(typeof SLICE_KEYS)[number], string | number>>): Slice {
  const r = sliceSchema.safeParse(raw);
  if (r.success) return r.data;
  const why = r.error.issues.map((i) => `${i.path.join('.') || 'slice'}: ${i.message}`).join('; ');
  throw new AppError('INVALID_INPUT', `bad slice ${JSON.stringify(raw)}: ${why}`, `Invalid slice (${why}).`);
}

export function isWholeSplit(s: Slice): boolean {
  return SLICE_KEYS.every((k) => s[k] === undefined);
}

/** The slice as URL parameters (for links that keep it). */
export function sliceQuery(s: Slice): string {
  return SLICE_KEYS.flatMap((k) => (s[k] === undefined ? [] : [`${k}=${s[k]}`])).join('&');
}

/** The slice in words, for headings. */
export function describeSlice(s: Slice): string {
  const parts: string[] = [];
  if (s.from !== undefined || s.to !== undefined) parts.push(`frames ${s.from ?? 0}–${s.to ?? 'last'}`);
  if (s.has !== undefined)
    parts.push(s.share === undefined ? `${CLASSES[s.has].name} present` : `${CLASSES[s.has].name} ≥ ${(s.share * 100).toFixed(0)}% of the frame`);
  if (s.brightMin !== undefined || s.brightMax !== undefined) parts.push(`brightness ${s.brightMin ?? 0}–${s.brightMax ?? 255}`);
  return parts.length ? parts.join(' · ') : 'the whole split';
}

/**
 * The ids of a split's images in the slice, in time (key) order: the order a run's numbers are
 * computed in, so the bootstrap's blocks of consecutive frames are the same ones.
 */
export async function sliceImageIds({ datasetId, split, slice }: { datasetId: string; split: string; slice: Slice }): Promise<string[]> {
  const byBrightness = slice.brightMin !== undefined || slice.brightMax !== undefined;
  // Frames imported before brightness was taken at import get it now, once: none is left out unmeasured.
  if (byBrightness) await backfillBrightness(datasetId);
  const all = await getDb().datasetImage.findMany({
    where: { datasetId },
    select: { id: true, split: true, classPixels: true, brightness: true },
    orderBy: { key: 'asc' },
  });
  return all
    .filter((im, index) => {
      if (im.split !== split) return false;
      if (slice.from !== undefined && index < slice.from) return false;
      if (slice.to !== undefined && index > slice.to) return false;
      if (byBrightness) {
        if (im.brightness === null)
          throw new AppError('INTERNAL', `image ${im.id} has no brightness after the backfill`, 'The brightness of this dataset could not be measured.');
        if (slice.brightMin !== undefined && im.brightness < slice.brightMin) return false;
        if (slice.brightMax !== undefined && im.brightness > slice.brightMax) return false;
      }
      if (slice.has === undefined) return true;
      const px = parseJson(classPixelsSchema, im.classPixels, `image ${im.id} class pixels`);
      const labelled = px.reduce((a, b) => a + b, 0);
      return px[slice.has] > 0 && (slice.share === undefined || px[slice.has] >= slice.share * labelled);
    })
    .map((im) => im.id);
}

import sharp from 'sharp';
import { classRgb, IGNORE_INDEX, NUM_CLASSES } from '../../models/classes.ts';
import { ByteLru } from '../render/render-cache.ts';
import { getDb } from '../db/client.ts';
import { decodeLabelPng } from '../dataset/label-png.ts';
import { loadGroundTruth } from '../dataset/load-ground-truth.ts';
import { AppError } from '../errors.ts';
import { flickerPixels } from '../metrics/flicker-segments.ts';
import { consecutivePairs } from '../metrics/temporal-stability.ts';
import { boundedRender, CONFUSION_HIGHLIGHT } from '../render/render-images.ts';

const g = globalThis as unknown as { __pixeldriveFlickerPngs?: ByteLru<Buffer> };
const pngs = (g.__pixeldriveFlickerPngs ??= new ByteLru<Buffer>(32 * 1024 * 1024));

/** The mask under the highlight, darkened so the flickering pixels stand out in any class colour. */
const MASK_SHADE = 0.45;
const SHADED = Array.from({ length: NUM_CLASSES }, (_, k) => [...classRgb(k).map((c) => Math.round(c * MASK_SHADE)), 255]);
const HIGHLIGHT = [...CONFUSION_HIGHLIGHT, 255];

export interface FlickerFrameView {
  runId: string;
  imageId: string;
  /** The frames before and after it in the segment (one may be absent at a segment's end). */
  prevId?: string;
  nextId?: string;
  classId?: number;
  maxWidth?: number;
}

/**
 * One frame of a flickering segment: the run's stored mask, darkened, with the pixels whose label
 * changes against the segment's neighbouring frame(s) where the truth stays (of one class, with
 * `classId`) in magenta. The neighbours must be the frames right before / after it in the same
 * recording, so the strip shows exactly what the flicker metric counts. Cached per view.
 */
export async function renderFlickerFrame(v: FlickerFrameView): Promise<Buffer> {
  if (v.classId !== undefined && (!Number.isInteger(v.classId) || v.classId < 0 || v.classId >= NUM_CLASSES)) {
    throw new AppError('INVALID_INPUT', `class ${v.classId}`, `The class must be 0 to ${NUM_CLASSES - 1}.`);
  }
  if (!v.prevId && !v.nextId)
    throw new AppError('INVALID_INPUT', 'flicker frame without neighbours', 'Give the frame before or after this one (prev or next).');
  const db = getDb();
  const ids = [v.prevId, v.imageId, v.nextId].filter((id): id is string => !!id);
  const rows = await db.prediction.findMany({
    where: { runId: v.runId, imageId: { in: ids } },
    select: { imageId: true, labelPng: true, image: { select: { key: true, subset: true } } },
  });
  const byId = new Map(rows.map((r) => [r.imageId, r]));
  const missing = ids.find((id) => !byId.has(id));
  if (missing) throw new AppError('NOT_FOUND', `image ${missing} not predicted by run ${v.runId}`, 'That frame was not evaluated by this run.');
  const follows = (a: string, b: string) => {
    const [ra, rb] = [byId.get(a)!, byId.get(b)!];
    return consecutivePairs([ra.image, rb.image]).some(([i, j]) => i === 0 && j === 1);
  };
  if ((v.prevId && !follows(v.prevId, v.imageId)) || (v.nextId && !follows(v.imageId, v.nextId))) {
    throw new AppError('INVALID_INPUT', `frames ${ids.join(', ')} are not consecutive`, 'Those frames are not consecutive frames of one recording.');
  }
  return pngs.getOrMake(
    `${v.runId}|${v.prevId ?? ''}|${v.imageId}|${v.nextId ?? ''}|${v.classId ?? ''}|${v.maxWidth ?? ''}`,
    () =>
      boundedRender(async () => {
        const load = async (id: string) => ({ gt: await loadGroundTruth(id), pred: await decodeLabelPng(byId.get(id)!.labelPng) });
        const [self, ...neighbours] = await Promise.all([v.imageId, ...[v.prevId, v.nextId].filter((id): id is string => !!id)].map(load));
        const { width, height } = self.pred;
        const hot = flickerPixels(
          self.gt.data,
          self.pred.data,
          neighbours.map((f) => ({ gt: f.gt.data, pred: f.pred.data })),
          v.classId,
        );
        const rgba = Buffer.alloc(width * height * 4);
        for (let i = 0; i < hot.length; i++) {
          if (self.gt.data[i] === IGNORE_INDEX) continue;
          rgba.set(hot[i] ? HIGHLIGHT : SHADED[self.pred.data[i]], i * 4);
        }
        // Drawn at full size and scaled after with a smoothing kernel: scaling the labels first by
        // nearest neighbour, as the masks are, would drop most single flickering pixels from a thumbnail.
        const img = sharp(rgba, { raw: { width, height, channels: 4 } });
        return (v.maxWidth && width > v.maxWidth ? img.resize({ width: v.maxWidth }) : img).png().toBuffer();
      }),
    (buf) => buf.byteLength,
  );
}

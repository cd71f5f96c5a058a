import sharp from 'sharp';
import { getDb } from '../db/client.ts';
import { loadGroundTruth } from '../dataset/load-ground-truth.ts';
import { decodeLabelPng } from '../dataset/label-png.ts';
import { boundedRender, CONFUSION_HIGHLIGHT, fitWidth } from '../render/render-images.ts';
import { AppError } from '../errors.ts';
import { IGNORE_INDEX } from '../../models/classes.ts';
import { parseConfusionCell } from './list-confusion-images.ts';
import { ByteLru } from '../render/render-cache.ts';

/** Every other labelled pixel is dimmed, so the highlighted ones stand out on any frame. */
const DIM = [15, 23, 42, 140] as const;

const g = globalThis as unknown as { __pixeldriveConfusionPngs?: ByteLru<Buffer> };
const pngs = (g.__pixeldriveConfusionPngs ??= new ByteLru<Buffer>(32 * 1024 * 1024));

/**
 * One prediction's pixels of one confusion (truth `truth`, predicted `pred`) in magenta, the rest
 * of the labelled image dimmed, ignored pixels transparent. Scaled before drawing; cached.
 */
export async function renderConfusionCell({
  predictionId,
  truth,
  pred,
  maxWidth,
}: {
  predictionId: string;
  truth: number;
  pred: number;
  maxWidth?: number;
}): Promise<Buffer> {
  parseConfusionCell(truth, pred);
  const p = await getDb().prediction.findUnique({ where: { id: predictionId }, select: { labelPng: true, imageId: true } });
  if (!p) throw new AppError('NOT_FOUND', `prediction ${predictionId}`, 'No such prediction.');
  return pngs.getOrMake(
    `${predictionId}|${truth}|${pred}|${maxWidth ?? ''}`,
    () =>
      boundedRender(async () => {
        const gt = fitWidth(await loadGroundTruth(p.imageId), maxWidth);
        const pr = fitWidth(await decodeLabelPng(p.labelPng), maxWidth);
        const rgba = Buffer.alloc(gt.width * gt.height * 4);
        for (let i = 0; i < gt.data.length; i++) {
          const t = gt.data[i];
          if (t === IGNORE_INDEX) continue;
          if (t === truth && pr.data[i] === pred) rgba.set([...CONFUSION_HIGHLIGHT, 255], i * 4);
          else rgba.set(DIM, i * 4);
        }
        return sharp(rgba, { raw: { width: gt.width, height: gt.height, channels: 4 } })
          .png()
          .toBuffer();
      }),
    (buf) => buf.byteLength,
  );
}

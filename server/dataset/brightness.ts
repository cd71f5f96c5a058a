import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { getDb } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { decodeRgb } from './decode.ts';
import type { RgbImage } from './image-types.ts';
import { inWindow } from './in-window.ts';

/**
 * Mean brightness of a frame: Rec. 601 luma (0.299 R + 0.587 G + 0.114 B) averaged over every
 * pixel, 0–255. Whole-frame on purpose: the hood is part of what the camera saw, and a slice by
 * brightness asks "how dark was the scene", not "how dark were the labelled pixels".
 */
export function meanBrightness(image: RgbImage): number {
  const d = image.data;
  // Integer sums per channel stay exact (a 25 MP frame sums to < 2^53) and keep the weights out of the loop.
  let r = 0;
  let g = 0;
  let b = 0;
  for (let i = 0; i < d.length; i += 3) {
    r += d[i];
    g += d[i + 1];
    b += d[i + 2];
  }
  const n = image.width * image.height;
  return n === 0 ? 0 : (0.299 * r + 0.587 * g + 0.114 * b) / n;
}

/** Frames decoded at once by the backfill: as the import's scan, enough for two cores. */
const BACKFILL_WINDOW = 4;

/**
 * Fills in the mean brightness of a dataset's frames imported before it was taken at import
 * (the column is null there), so a brightness slice never silently drops them. Each frame is
 * written on its own and only while still null, so two requests racing, or one stopped half-way,
 * leave every row either untouched or right. Returns how many frames it filled in.
 */
export async function backfillBrightness(datasetId: string): Promise<number> {
  const db = getDb();
  const missing = await db.datasetImage.findMany({
    where: { datasetId, brightness: null },
    select: { id: true, imagePath: true, dataset: { select: { root: true } } },
  });
  await inWindow(missing.length, BACKFILL_WINDOW, async (i) => {
    const im = missing[i];
    const file = path.resolve(im.dataset.root, im.imagePath);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (e) {
      throw new AppError(
        'NOT_FOUND',
        `brightness backfill: cannot read ${file}: ${(e as Error).message}`,
        'A frame of this dataset is no longer where it was imported from, so its brightness cannot be measured; re-import the dataset.',
      );
    }
    await db.datasetImage.updateMany({ where: { id: im.id, brightness: null }, data: { brightness: meanBrightness(await decodeRgb(bytes, file)) } });
  });
  return missing.length;
}

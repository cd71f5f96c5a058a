import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { getDb } from '../db/client.ts';
import { decodeRgb } from '../dataset/decode.ts';
import type { RgbImage } from '../dataset/image-types.ts';
import { boundedRender, colorizeLabel } from '../render/render-images.ts';
import { AppError } from '../errors.ts';
import { getSegmenter } from '../inference/segmenter.ts';
import { corruptFrame } from './corruptions.ts';
import { type Corruption } from '../schemas/robustness.ts';

export interface CorruptedView {
  imageId: string;
  corruption: Corruption;
  severity: number;
}

/** The frame exactly as a robustness run fed it to the models: same corruption, same seed (the frame's content hash). */
async function corruptedFrame(v: CorruptedView): Promise<RgbImage> {
  const row = await getDb().datasetImage.findUnique({ where: { id: v.imageId }, include: { dataset: { select: { root: true } } } });
  if (!row) throw new AppError('NOT_FOUND', `image ${v.imageId}`, 'No such image.');
  const file = path.resolve(row.dataset.root, row.imagePath);
  const rgb = await decodeRgb(await readFile(file), file);
  return corruptFrame(rgb, { corruption: v.corruption, severity: v.severity, frameKey: row.contentHash });
}

/** The corrupted frame as a PNG (lossless, so a JPEG-corrupted frame shows its own artefacts only). */
export async function renderCorruptedFrame(v: CorruptedView & { maxWidth?: number }): Promise<Buffer> {
  return boundedRender(async () => {
    const rgb = await corruptedFrame(v);
    let img = sharp(rgb.data, { raw: { width: rgb.width, height: rgb.height, channels: 3 } });
    if (v.maxWidth && rgb.width > v.maxWidth) img = img.resize({ width: v.maxWidth });
    return img.png().toBuffer();
  });
}

/**
 * A model's mask on the corrupted frame. Not stored by the run (a mask per frame × corruption
 * × severity × model would be ~100 MB per run); the same frame, corruption and network give
 * the same labels the run scored, which the robustness run test checks against its stored
 * confusion matrices.
 */
export async function renderCorruptedMask(v: CorruptedView & { runId: string; maxWidth?: number }): Promise<Buffer> {
  const run = await getDb().evaluationRun.findUnique({ where: { id: v.runId }, select: { datasetId: true, checkpoint: { select: { dir: true } } } });
  if (!run) throw new AppError('NOT_FOUND', `run ${v.runId}`, 'No such run.');
  const image = await getDb().datasetImage.findUnique({ where: { id: v.imageId }, select: { datasetId: true } });
  if (!image || image.datasetId !== run.datasetId)
    throw new AppError('NOT_FOUND', `image ${v.imageId} in run ${v.runId}`, 'That image is not part of this run\u2019s dataset.');
  return boundedRender(async () => {
    const segmenter = await getSegmenter(path.resolve(run.checkpoint.dir));
    const { label } = await segmenter.segment(await corruptedFrame(v));
    return colorizeLabel(label, v.maxWidth);
  });
}

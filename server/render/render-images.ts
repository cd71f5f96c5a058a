import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { classRgb, IGNORE_INDEX, NUM_CLASSES } from '../../models/classes.ts';
import { getDb } from '../db/client.ts';
import type { LabelMap } from '../dataset/image-types.ts';
import { loadGroundTruth } from '../dataset/load-ground-truth.ts';
import { decodeLabelPng } from '../dataset/label-png.ts';
import { resizeLabelNearest } from '../dataset/resize.ts';
import { BoundedSlots } from '../bounded-slots.ts';
import { AppError } from '../errors.ts';

const g = globalThis as unknown as { __pixeldriveRenderSlots?: BoundedSlots };
/**
 * Image renders at once per process: each holds a decoded image and its encoder's buffers, and
 * the pages ask for dozens at a time. The rest wait their turn, then get "busy, retry".
 */
const renderSlots = (g.__pixeldriveRenderSlots ??= new BoundedSlots({
  slots: 2,
  maxWaiting: 64,
  maxWaitMs: 20_000,
  busyMessage: 'The server is busy drawing other images; retry in a moment.',
}));

/** Every render behind the same bound (dashboard and playground alike), and what a render computes first. */
export function boundedRender<T>(render: () => Promise<T>): Promise<T> {
  return renderSlots.run(render);
}

/**
 * Nearest-neighbour scaling BEFORE colourising: a 25 MP mask colourised first and scaled after
 * held 100 MB of RGBA for a thumbnail.
 */
export function fitWidth(label: LabelMap, maxWidth?: number): LabelMap {
  if (!maxWidth || label.width <= maxWidth) return label;
  return resizeLabelNearest(label, maxWidth, Math.max(1, Math.round((label.height * maxWidth) / label.width)));
}

/** The highlight colour of pixels a view singles out (a confusion's, a flicker's): magenta is no class's colour. */
export const CONFUSION_HIGHLIGHT: readonly [number, number, number] = [255, 0, 255];

const PALETTE = Array.from({ length: 256 }, (_, v) => (v < NUM_CLASSES ? classRgb(v) : ([0, 0, 0] as [number, number, number])));

/** Class colours; ignored pixels transparent (RGBA PNG). */
export async function colorizeLabel(full: LabelMap, maxWidth?: number): Promise<Buffer> {
  const label = fitWidth(full, maxWidth);
  const rgba = Buffer.alloc(label.width * label.height * 4);
  for (let i = 0; i < label.data.length; i++) {
    const v = label.data[i];
    const [r, g, b] = PALETTE[v];
    rgba[i * 4] = r;
    rgba[i * 4 + 1] = g;
    rgba[i * 4 + 2] = b;
    rgba[i * 4 + 3] = v === IGNORE_INDEX ? 0 : 255;
  }
  return sharp(rgba, { raw: { width: label.width, height: label.height, channels: 4 } })
    .png()
    .toBuffer();
}

/**
 * Green = correct, red = wrong, transparent = ignored. With `classId`, only pixels where
 * that class is the truth or the prediction are drawn (its TP green, its FP and FN red).
 */
export async function errorMap(fullGt: LabelMap, fullPred: LabelMap, maxWidth?: number, classId?: number): Promise<Buffer> {
  const gt = fitWidth(fullGt, maxWidth);
  const pred = fitWidth(fullPred, maxWidth);
  const rgba = Buffer.alloc(gt.width * gt.height * 4);
  for (let i = 0; i < gt.data.length; i++) {
    if (gt.data[i] === IGNORE_INDEX) continue;
    if (classId !== undefined && gt.data[i] !== classId && pred.data[i] !== classId) continue;
    const ok = gt.data[i] === pred.data[i];
    rgba.set(ok ? [22, 163, 74, 255] : [220, 38, 38, 255], i * 4);
  }
  return sharp(rgba, { raw: { width: gt.width, height: gt.height, channels: 4 } })
    .png()
    .toBuffer();
}

async function imageRow(imageId: string) {
  const row = await getDb().datasetImage.findUnique({ where: { id: imageId }, include: { dataset: true } });
  if (!row) throw new AppError('NOT_FOUND', `image ${imageId}`, 'No such image.');
  return row;
}

export async function renderDatasetImage(imageId: string, maxWidth?: number): Promise<Buffer> {
  const row = await imageRow(imageId);
  return boundedRender(async () => {
    let img = sharp(await readFile(path.resolve(row.dataset.root, row.imagePath)));
    if (maxWidth && row.width > maxWidth) img = img.resize({ width: maxWidth });
    return img.jpeg({ quality: 85 }).toBuffer();
  });
}

export async function renderGroundTruth(imageId: string, maxWidth?: number): Promise<Buffer> {
  return boundedRender(async () => colorizeLabel(await loadGroundTruth(imageId), maxWidth));
}

export async function renderPrediction(predictionId: string, mode: 'mask' | 'errors', maxWidth?: number, classId?: number): Promise<Buffer> {
  const p = await getDb().prediction.findUnique({ where: { id: predictionId }, select: { labelPng: true, imageId: true } });
  if (!p) throw new AppError('NOT_FOUND', `prediction ${predictionId}`, 'No such prediction.');
  return boundedRender(async () => {
    const pred = await decodeLabelPng(p.labelPng);
    return mode === 'mask' ? colorizeLabel(pred, maxWidth) : errorMap(await loadGroundTruth(p.imageId), pred, maxWidth, classId);
  });
}

import { newestCheckpointPerNetwork } from '../checkpoints/list-checkpoints.ts';
import sharp from 'sharp';
import { ARCHITECTURES } from '../../models/config.ts';
import { getDb } from '../db/client.ts';
import { classPercentsSchema } from '../schemas/evaluation.ts';
import { parseJson } from '../schemas/common.ts';
import { AppError } from '../errors.ts';
import { decodeLabelPng } from '../dataset/label-png.ts';
import { boundedRender, colorizeLabel, errorMap } from '../render/render-images.ts';
import { loadGroundTruth } from '../dataset/load-ground-truth.ts';

export async function listUploads(limit = 20) {
  return getDb().playgroundUpload.findMany({
    orderBy: { createdAt: 'desc' },
    take: limit,
    select: { id: true, fileName: true, width: true, height: true, createdAt: true, sampleImageId: true },
  });
}

export async function getUpload(id: string) {
  const u = await getDb().playgroundUpload.findUnique({
    where: { id },
    select: {
      id: true,
      fileName: true,
      width: true,
      height: true,
      createdAt: true,
      sampleImageId: true,
      mime: true,
      predictions: {
        select: {
          id: true,
          classPercents: true,
          imageMiou: true,
          latencyMs: true,
          backend: true,
          checkpoint: { select: { id: true, name: true, arch: true } },
        },
      },
    },
  });
  if (!u) throw new AppError('NOT_FOUND', `upload ${id}`, 'That upload no longer exists.');
  const order: readonly string[] = ARCHITECTURES;
  // The architectures first, in their usual order (a pretrained network before its random-init control); imported models and variants after them.
  const rank = (arch: string) => (order.includes(arch) ? order.indexOf(arch) : order.length);
  u.predictions.sort((a, b) => rank(a.checkpoint.arch) - rank(b.checkpoint.arch) || a.checkpoint.name.localeCompare(b.checkpoint.name));
  return {
    ...u,
    predictions: u.predictions.map((p) => ({ ...p, classPercents: parseJson(classPercentsSchema, p.classPercents, `playground prediction ${p.id}`) })),
  };
}

export async function deleteUpload({ uploadId }: { uploadId: string }): Promise<void> {
  const r = await getDb().playgroundUpload.deleteMany({ where: { id: uploadId } });
  if (!r.count) throw new AppError('NOT_FOUND', `upload ${uploadId}`, 'That upload no longer exists.');
}

/** Samples from the drive's val split: every 20th frame, from the 6th on, so they spread over the whole drive. */
const DRIVE_SAMPLE_EVERY = 20;
const DRIVE_SAMPLE_OFFSET = 5;

/** Models the playground can run: the newest trained one per network (checked by default), then imports and variants. */
export async function listPlaygroundModels(): Promise<{ id: string; name: string; checked: boolean }[]> {
  const shipped = await newestCheckpointPerNetwork();
  const others = await getDb().checkpoint.findMany({
    where: { source: { not: 'trained' } },
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { id: true, name: true },
  });
  return [...shipped.map((c) => ({ id: c.id, name: c.name, checked: true })), ...others.map((c) => ({ id: c.id, name: c.name, checked: false }))];
}

export async function listSamples() {
  const db = getDb();
  const official = await db.datasetImage.findMany({
    where: { dataset: { name: 'carla-official' } },
    orderBy: { key: 'asc' },
    select: { id: true, key: true, dataset: { select: { name: true } } },
  });
  const drive = await db.datasetImage.findMany({
    where: { dataset: { name: 'carla-drive' }, split: 'val' },
    orderBy: { key: 'asc' },
    select: { id: true, key: true, dataset: { select: { name: true } } },
  });
  return [...official, ...drive.filter((_, i) => i % DRIVE_SAMPLE_EVERY === DRIVE_SAMPLE_OFFSET)];
}

export async function renderUploadImage(id: string, maxWidth?: number): Promise<Buffer> {
  const u = await getDb().playgroundUpload.findUnique({ where: { id }, select: { imagePng: true, width: true } });
  if (!u) throw new AppError('NOT_FOUND', `upload ${id}`, 'That upload no longer exists.');
  return boundedRender(async () => {
    let img = sharp(u.imagePng);
    // Stored at most 2 MP (segment-upload.ts), so `width` (the upload's own) may exceed what is stored.
    if (maxWidth && u.width > maxWidth) img = img.resize({ width: maxWidth, withoutEnlargement: true });
    return img.jpeg({ quality: 88 }).toBuffer();
  });
}

export async function renderPlaygroundPrediction(id: string, mode: 'mask' | 'errors', maxWidth?: number): Promise<Buffer> {
  const p = await getDb().playgroundPrediction.findUnique({ where: { id }, select: { labelPng: true, upload: { select: { sampleImageId: true } } } });
  if (!p) throw new AppError('NOT_FOUND', `prediction ${id}`, 'No such prediction.');
  const sampleImageId = p.upload.sampleImageId;
  return boundedRender(async () => {
    const pred = await decodeLabelPng(p.labelPng);
    if (mode === 'mask' || !sampleImageId) return colorizeLabel(pred, maxWidth);
    return errorMap(await loadGroundTruth(sampleImageId), pred, maxWidth);
  });
}

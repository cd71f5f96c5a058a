import { createHash } from 'node:crypto';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { IGNORE_INDEX, NUM_CLASSES } from '../../models/classes.ts';
import { newestCheckpointPerNetwork } from '../checkpoints/list-checkpoints.ts';
import { getDb } from '../db/client.ts';
import type { LabelMap, RgbImage } from '../dataset/image-types.ts';
import { loadGroundTruth } from '../dataset/load-ground-truth.ts';
import { encodeLabelPng } from '../dataset/label-png.ts';
import { classPercentsSchema, type ClassPercent } from '../schemas/evaluation.ts';
import { parseJson } from '../schemas/common.ts';
import { BoundedSlots } from '../bounded-slots.ts';
import { AppError } from '../errors.ts';
import { resizeLabelNearest } from '../dataset/resize.ts';
import { getSegmenter, labelComputeSize } from '../inference/segmenter.ts';
import { computeMetrics } from '../metrics/class-metrics.ts';
import { confusionOf } from '../metrics/confusion-matrix.ts';
import { decodeUpload } from './validate-upload.ts';
import { pruneUploads } from './prune-uploads.ts';
import { perProcess } from '../per-process.ts';

/** Uploads segmented at once: the models share two cores, more in parallel only adds memory. */
export const MAX_CONCURRENT_UPLOADS = 3;
/**
 * Uploads that wait for a slot, each for at most MAX_UPLOAD_WAIT_MS; beyond either, a clear
 * "busy, retry" (HTTP 503 with Retry-After). A waiting upload has not read its body yet, so
 * the line costs a socket each, not a file each.
 */
export const MAX_WAITING_UPLOADS = 48;
const MAX_UPLOAD_WAIT_MS = 20_000;

/** One line per process: route handlers and server actions may load this module separately. */
const playgroundSlots = perProcess(
  'PlaygroundSlots',
  () =>
    new BoundedSlots({
      slots: MAX_CONCURRENT_UPLOADS,
      maxWaiting: MAX_WAITING_UPLOADS,
      maxWaitMs: MAX_UPLOAD_WAIT_MS,
      busyMessage: 'The models are busy with other uploads. Please retry in a few seconds.',
    }),
);

function classPercents(label: LabelMap): ClassPercent[] {
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  for (const v of label.data) if (v < NUM_CLASSES) counts[v]++;
  return counts
    .map((c, classId) => ({ classId, percent: (100 * c) / label.data.length }))
    .filter((c) => c.percent > 0)
    .sort((a, b) => b.percent - a.percent);
}

/**
 * Validates an uploaded file and segments it with every model (or the ones asked for). Nothing
 * is stored for a bad file. `read` runs once a slot is free, so a request body is read only then.
 */
export async function segmentUpload(opts: {
  read: () => Promise<{ bytes: Uint8Array; fileName: string }>;
  checkpointIds?: string[];
  signal?: AbortSignal;
}): Promise<{ uploadId: string }> {
  return playgroundSlots.run(async () => {
    const { bytes, fileName } = await opts.read();
    const { image, mime } = await decodeUpload(bytes, fileName);
    return store({ image, mime, fileName, checkpointIds: opts.checkpointIds });
  }, opts.signal);
}

/** A bundled sample frame (a dataset image with ground truth): also per-image IoU against it. */
export async function segmentSample(opts: { imageId: string; checkpointIds?: string[] }): Promise<{ uploadId: string }> {
  return playgroundSlots.run(async () => {
    const db = getDb();
    const row = await db.datasetImage.findUnique({ where: { id: opts.imageId }, include: { dataset: true } });
    if (!row) throw new AppError('NOT_FOUND', `sample ${opts.imageId}`, 'That sample frame does not exist.');
    const bytes = await readFile(path.resolve(row.dataset.root, row.imagePath));
    const { image, mime } = await decodeUpload(bytes, row.key);
    const gt = await loadGroundTruth(row.id);
    return store({
      image,
      mime,
      fileName: `${row.dataset.name}/${row.key}${path.extname(row.imagePath)}`,
      checkpointIds: opts.checkpointIds,
      sampleImageId: row.id,
      gt,
    });
  });
}

async function store(o: {
  image: RgbImage;
  mime: string;
  fileName: string;
  checkpointIds?: string[];
  sampleImageId?: string;
  gt?: LabelMap;
}): Promise<{ uploadId: string }> {
  const db = getDb();
  // Kept at the size the argmax ran at (at most 2 MP, same aspect): above it the full-size mask is
  // only that argmax scaled up by nearest neighbour, so nothing is lost, and a 25 MP photo is
  // stored and drawn at 2 MP instead of 25.
  const [keptWidth, keptHeight] = labelComputeSize(o.image.width, o.image.height);
  const kept = { width: keptWidth, height: keptHeight };
  const ids = o.checkpointIds?.length ? o.checkpointIds : (await newestCheckpointPerNetwork()).map((c) => c.id);
  const checkpoints = await db.checkpoint.findMany({ where: { id: { in: ids } } });
  if (checkpoints.length === 0) throw new AppError('NOT_FOUND', 'no checkpoints', 'No trained model is registered yet.');
  const results = [];
  for (const ck of checkpoints) {
    const segmenter = await getSegmenter(path.resolve(ck.dir));
    const s = await segmenter.segment(o.image);
    let imageMiou: number | null = null;
    if (o.gt) {
      const m = computeMetrics(confusionOf(o.gt.data, s.label.data, NUM_CLASSES, IGNORE_INDEX)).miou;
      imageMiou = Number.isFinite(m) ? m : null;
    }
    results.push({
      checkpointId: ck.id,
      labelPng: await encodeLabelPng(resizeLabelNearest(s.label, kept.width, kept.height)),
      classPercents: parseJson(classPercentsSchema, classPercents(s.label), `${o.fileName} class percents`),
      imageMiou,
      latencyMs: s.latencyMs,
      backend: s.backend,
    });
  }
  let img = sharp(Buffer.from(o.image.data.buffer, o.image.data.byteOffset, o.image.data.byteLength), {
    raw: { width: o.image.width, height: o.image.height, channels: 3 },
  });
  if (kept.width !== o.image.width) img = img.resize(kept.width, kept.height);
  const png = await img.png({ compressionLevel: 6 }).toBuffer();
  const upload = await db.playgroundUpload.create({
    data: {
      fileName: o.fileName.slice(0, 200),
      mime: o.mime,
      width: o.image.width,
      height: o.image.height,
      sha256: createHash('sha256').update(png).digest('hex'),
      imagePng: new Uint8Array(png),
      sampleImageId: o.sampleImageId,
      predictions: { create: results },
    },
  });
  await pruneUploads();
  return { uploadId: upload.id };
}

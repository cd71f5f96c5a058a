import { spawn } from 'node:child_process';
import path from 'node:path';
import { IGNORE_INDEX, NUM_CLASSES } from '../../models/classes.ts';
import { registerEmbeddedDefaults } from '../../server/first-start/register-embedded-defaults.ts';
import { getDb } from '../../server/db/client.ts';
import { evaluationMetricsSchema } from '../../server/schemas/evaluation.ts';
import { ignorePolicySchema } from '../../server/schemas/dataset.ts';
import { parseJson } from '../../server/schemas/common.ts';
import { rng } from '../../server/random.ts';
import { percentile } from './stats.ts';
import { createSavedFilter } from '../../server/compare/saved-filters.ts';
import { loadGroundTruth } from '../../server/dataset/load-ground-truth.ts';
import type { LabelMap } from '../../server/dataset/image-types.ts';
import { encodeLabelPng } from '../../server/dataset/label-png.ts';
import { computeMetrics } from '../../server/metrics/class-metrics.ts';
import { confusionFromRows, confusionOf, confusionToRows, sumConfusions } from '../../server/metrics/confusion-matrix.ts';
import { DEFAULT_CHUNK_SIZE } from '../../server/evaluation/create-evaluation-run.ts';

/** A realistic-looking per-image confusion matrix: mostly diagonal, some confusion. */
function fakeConfusion(rand: () => number): number[][] {
  return Array.from({ length: NUM_CLASSES }, (_, r) =>
    Array.from({ length: NUM_CLASSES }, (_, c) => Math.floor((r === c ? 20000 : 300) * rand() * (rand() < 0.3 ? 0 : 1))),
  );
}

/**
 * A prediction of `gt` that a real model could have made: the truth with a few rectangles
 * relabelled (a missed car, a sidewalk read as road) and the ignored pixels given a class, as a
 * network gives every pixel one. The pixel views (disagreement maps, confusion cells, the image
 * viewer) decode and draw it exactly as they would a worker's.
 */
function fakePrediction(gt: LabelMap, rand: () => number): LabelMap {
  const data = Uint8Array.from(gt.data, (v) => (v === IGNORE_INDEX ? 0 : v));
  for (let r = 0; r < 8; r++) {
    const w = 20 + Math.floor(rand() * 140);
    const h = 15 + Math.floor(rand() * 100);
    const x0 = Math.floor(rand() * (gt.width - w));
    const y0 = Math.floor(rand() * (gt.height - h));
    const k = Math.floor(rand() * NUM_CLASSES);
    for (let y = y0; y < y0 + h; y++) data.fill(k, y * gt.width + x0, y * gt.width + x0 + w);
  }
  return { width: gt.width, height: gt.height, data };
}

/**
 * Fills the (throw-away) database with `runs` completed evaluation runs and `predictions`
 * prediction rows, generated only to load the pages; they never reach a real database. The
 * newest run of each checkpoint is on the val split with real-size predictions of every frame
 * (what the pixel views decode); the other runs hold small made-up rows, as many as it takes.
 */
export async function seedDashboardLoad({ runs, predictions }: { runs: number; predictions: number }): Promise<DashboardSeed> {
  await registerEmbeddedDefaults({ log: () => {}, queueEvaluations: false });
  const db = getDb();
  const rand = rng(99);
  const checkpoints = await db.checkpoint.findMany({ orderBy: { name: 'asc' } });
  if (!checkpoints.length) throw new Error('no checkpoints registered');
  const drive = await db.dataset.findUniqueOrThrow({ where: { name: 'carla-drive' } });
  const trainImages = await db.datasetImage.findMany({ where: { datasetId: drive.id, split: 'train' }, select: { id: true } });
  const valImages = await db.datasetImage.findMany({ where: { datasetId: drive.id, split: 'val' }, select: { id: true }, orderBy: { key: 'asc' } });
  const valTruth = await Promise.all(valImages.map((im) => loadGroundTruth(im.id)));
  const valRuns = Math.min(checkpoints.length, runs);
  // The made-up rows spread over the other runs so that the total is exactly `predictions`.
  const spread = Math.max(0, predictions - valRuns * valImages.length);
  const otherRuns = Math.max(1, runs - valRuns);
  const rowsOf = (i: number) => Math.min(trainImages.length, Math.floor(spread / otherRuns) + (i < spread % otherRuns ? 1 : 0));
  const valRunOf = new Map<string, string>();
  const tinyPng = new Uint8Array(Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010800000000', 'hex'));
  for (let i = 0; i < runs; i++) {
    const ck = checkpoints[i % checkpoints.length];
    const onVal = i >= runs - valRuns; // the newest runs are the leaderboard's
    const images = onVal ? valImages : trainImages;
    const rows = onVal
      ? await Promise.all(
          valImages.map(async (img, j) => {
            const pred = fakePrediction(valTruth[j], rand);
            const cm = confusionOf(valTruth[j].data, pred.data);
            const m = computeMetrics(cm).miou;
            return {
              imageId: img.id,
              labelPng: await encodeLabelPng(pred),
              confusion: confusionToRows(cm),
              imageMiou: Number.isFinite(m) ? m : null,
              latencyMs: 40,
            };
          }),
        )
      : images.slice(0, rowsOf(i)).map((img) => ({ imageId: img.id, labelPng: tinyPng, confusion: fakeConfusion(rand), imageMiou: rand(), latencyMs: 40 }));
    // A val run's totals are its images' sums, so the confusion-cell page's counts reconcile as a worker's would.
    const confusion = onVal ? confusionToRows(sumConfusions(rows.map((r) => confusionFromRows(r.confusion)))) : fakeConfusion(rand);
    const miou = onVal ? computeMetrics(confusionFromRows(confusion)).miou : 0.3 + 0.4 * rand();
    const run = await db.evaluationRun.create({
      data: {
        checkpointId: ck.id,
        datasetId: drive.id,
        split: onVal ? 'val' : 'train',
        status: 'completed',
        totalImages: images.length,
        chunkSize: DEFAULT_CHUNK_SIZE,
        backend: 'onnxruntime-cpu',
        ignorePolicy: parseJson(ignorePolicySchema, drive.ignorePolicy, 'carla-drive ignore policy'),
        confusion,
        miou,
        metrics: parseJson(
          evaluationMetricsSchema,
          {
            miou,
            miouLow: miou - 0.02,
            miouHigh: miou + 0.02,
            pixelAccuracy: 0.9,
            fwIou: 0.8,
            classesCounted: NUM_CLASSES,
            meanImageMiou: miou,
            bootstrap: { resamples: 1000, seed: 1, confidence: 0.95, unit: 'image' },
            images: images.length,
          },
          'generated metrics',
        ),
        startedAt: new Date(),
        finishedAt: new Date(Date.now() + i),
        classMetrics: {
          create: Array.from({ length: NUM_CLASSES }, (_, k) => ({
            classId: k,
            iou: rand(),
            iouLow: 0.1,
            iouHigh: 0.9,
            precision: 0.5,
            recall: 0.5,
            dice: 0.5,
            support: 1000,
          })),
        },
      },
    });
    if (onVal) valRunOf.set(ck.id, run.id);
    await db.prediction.createMany({ data: rows.map((r) => ({ ...r, runId: run.id })) });
  }
  const unet = checkpoints.find((c) => c.arch === 'unet') ?? checkpoints[0];
  const other = checkpoints.find((c) => c.id !== unet.id && valRunOf.has(c.id))!;
  const valRunId = valRunOf.get(unet.id)!;
  const cellPrediction = await db.prediction.findFirstOrThrow({
    where: { runId: valRunId },
    orderBy: { image: { key: 'asc' } },
    select: { id: true, imageId: true },
  });
  const filter = await createSavedFilter({ name: 'bench first block', dataset: 'carla-drive', split: 'val', slice: { from: '0', to: '239' } });
  // The middle half of the val frames by brightness: a slice as large as a real question would be.
  const bright = (await db.datasetImage.findMany({ where: { datasetId: drive.id, split: 'val' }, select: { brightness: true } }))
    .map((r) => r.brightness!)
    .sort((a, b) => a - b);
  const brightRange = { min: Math.floor(bright[Math.floor(bright.length / 4)]), max: Math.ceil(bright[Math.floor((3 * bright.length) / 4)]) };
  return {
    checkpointId: unet.id,
    datasetId: drive.id,
    valRunId,
    otherValRunId: valRunOf.get(other.id)!,
    imageId: cellPrediction.imageId,
    predictionId: cellPrediction.id,
    filterId: filter.id,
    brightRange,
    // Two of the sweep runs every start imports (server/experiments/import-sweep-cards.ts), for the Experiments page's overlay.
    experimentRunIds: (await db.trainingRun.findMany({ where: { origin: { not: null } }, orderBy: { origin: 'asc' }, take: 2, select: { id: true } })).map(
      (r) => r.id,
    ),
    runs: await db.evaluationRun.count(),
    predictions: await db.prediction.count(),
  };
}

export interface DashboardSeed {
  checkpointId: string;
  datasetId: string;
  /** U-Net's val run and another checkpoint's, for the pixel views. */
  valRunId: string;
  otherValRunId: string;
  /** A val frame and U-Net's prediction of it. */
  imageId: string;
  predictionId: string;
  filterId: string;
  brightRange: { min: number; max: number };
  /** Two imported training runs to overlay on the Experiments page. */
  experimentRunIds: string[];
  /** Rows in the database: the scale the table is measured at. */
  runs: number;
  predictions: number;
}

interface PageTiming {
  page: string;
  url: string;
  requests: number;
  /** The first request of all: nothing of this page in any cache yet. */
  firstMs: number;
  p50Ms: number;
  p95Ms: number;
}

/** Server response time of pages under `next start` against the seeded database. */
export async function timePages(databaseUrl: string, urls: { page: string; url: string }[], port = 3200, requests = 40): Promise<PageTiming[]> {
  const next = spawn(process.execPath, [path.resolve('node_modules/next/dist/bin/next'), 'start', '-p', String(port), '-H', '127.0.0.1'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, NEXT_TELEMETRY_DISABLED: '1' },
    stdio: 'ignore',
  });
  try {
    const base = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      try {
        if ((await fetch(`${base}/system`)).ok) break;
      } catch {
        if (i > 120) throw new Error('next start did not come up');
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    const out: PageTiming[] = [];
    for (const u of urls) {
      const f0 = performance.now();
      const first = await fetch(base + u.url);
      await first.arrayBuffer();
      if (!first.ok) throw new Error(`${u.url}: HTTP ${first.status}`);
      const firstMs = performance.now() - f0;
      for (let i = 0; i < 4; i++) await (await fetch(base + u.url)).arrayBuffer();
      const times: number[] = [];
      for (let i = 0; i < requests; i++) {
        const t0 = performance.now();
        const res = await fetch(base + u.url);
        await res.arrayBuffer();
        if (!res.ok) throw new Error(`${u.url}: HTTP ${res.status}`);
        times.push(performance.now() - t0);
      }
      out.push({
        page: u.page,
        url: u.url,
        requests,
        firstMs: +firstMs.toFixed(1),
        p50Ms: +percentile(times, 0.5).toFixed(1),
        p95Ms: +percentile(times, 0.95).toFixed(1),
      });
    }
    return out;
  } finally {
    next.kill('SIGTERM');
  }
}

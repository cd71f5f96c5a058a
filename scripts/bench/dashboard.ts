import { spawn } from 'node:child_process';
import path from 'node:path';
import { NUM_CLASSES } from '../../models/classes.ts';
import { bootstrapEmbeddedDefaults } from '../../server/bootstrap/bootstrap-embedded-defaults.ts';
import { getDb } from '../../server/db.ts';
import { evaluationMetricsSchema, ignorePolicySchema, parseJson } from '../../server/definitions.ts';
import { rng } from '../../server/random.ts';
import { percentile } from './stats.ts';

/** A realistic-looking per-image confusion matrix: mostly diagonal, some confusion. */
function fakeConfusion(rand: () => number): number[][] {
  return Array.from({ length: NUM_CLASSES }, (_, r) =>
    Array.from({ length: NUM_CLASSES }, (_, c) => Math.floor((r === c ? 20000 : 300) * rand() * (rand() < 0.3 ? 0 : 1))),
  );
}

/**
 * Fills the (throw-away) database with `runs` completed evaluation runs and `predictions`
 * prediction rows, generated only to load the pages; they never reach a real database.
 */
export async function seedDashboardLoad({ runs, predictions }: { runs: number; predictions: number }): Promise<{ checkpointId: string; valRunId: string }> {
  await bootstrapEmbeddedDefaults({ log: () => {}, queueEvaluations: false });
  const db = getDb();
  const rand = rng(99);
  const checkpoints = await db.checkpoint.findMany();
  if (!checkpoints.length) throw new Error('no checkpoints registered');
  const drive = await db.dataset.findUniqueOrThrow({ where: { name: 'carla-drive' } });
  const trainImages = await db.datasetImage.findMany({ where: { datasetId: drive.id, split: 'train' }, select: { id: true } });
  const valImages = await db.datasetImage.findMany({ where: { datasetId: drive.id, split: 'val' }, select: { id: true } });
  const perRun = Math.ceil(predictions / runs);
  const valRunOf = new Map<string, string>();
  const tinyPng = new Uint8Array(Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010800000000', 'hex'));
  for (let i = 0; i < runs; i++) {
    const ck = checkpoints[i % checkpoints.length];
    const onVal = i >= runs - checkpoints.length; // the newest runs are the leaderboard's
    const images = onVal ? valImages : trainImages;
    const miou = 0.3 + 0.4 * rand();
    const run = await db.evaluationRun.create({
      data: {
        checkpointId: ck.id, datasetId: drive.id, split: onVal ? 'val' : 'train', status: 'completed', totalImages: images.length, backend: 'onnxruntime-cpu',
        ignorePolicy: parseJson(ignorePolicySchema, drive.ignorePolicy, 'carla-drive ignore policy'), confusion: fakeConfusion(rand), miou,
        metrics: parseJson(evaluationMetricsSchema, {
          miou, miouLow: miou - 0.02, miouHigh: miou + 0.02, pixelAccuracy: 0.9, fwIou: 0.8, classesCounted: NUM_CLASSES, meanImageMiou: miou,
          bootstrap: { resamples: 1000, seed: 1, confidence: 0.95, unit: 'image' }, images: images.length,
        }, 'generated metrics'),
        startedAt: new Date(), finishedAt: new Date(Date.now() + i),
        classMetrics: { create: Array.from({ length: NUM_CLASSES }, (_, k) => ({ classId: k, iou: rand(), iouLow: 0.1, iouHigh: 0.9, precision: 0.5, recall: 0.5, dice: 0.5, support: 1000 })) },
      },
    });
    if (onVal) valRunOf.set(ck.id, run.id);
    const n = onVal ? images.length : Math.min(perRun, images.length);
    await db.prediction.createMany({
      data: images.slice(0, n).map((img) => ({ runId: run.id, imageId: img.id, labelPng: tinyPng, confusion: fakeConfusion(rand), imageMiou: rand(), latencyMs: 40 })),
    });
  }
  const unet = checkpoints.find((c) => c.arch === 'unet') ?? checkpoints[0];
  return { checkpointId: unet.id, valRunId: valRunOf.get(unet.id)! };
}

export interface PageTiming {
  page: string;
  url: string;
  requests: number;
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
      for (let i = 0; i < 5; i++) await (await fetch(base + u.url)).text();
      const times: number[] = [];
      for (let i = 0; i < requests; i++) {
        const t0 = performance.now();
        const res = await fetch(base + u.url);
        await res.text();
        if (!res.ok) throw new Error(`${u.url}: HTTP ${res.status}`);
        times.push(performance.now() - t0);
      }
      out.push({ page: u.page, url: u.url, requests, p50Ms: +percentile(times, 0.5).toFixed(1), p95Ms: +percentile(times, 0.95).toFixed(1) });
    }
    return out;
  } finally {
    next.kill('SIGTERM');
  }
}

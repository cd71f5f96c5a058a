import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { config } from '../../server/config.ts';
import { registerEmbeddedDefaults } from '../../server/first-start/register-embedded-defaults.ts';
import { getDb } from '../../server/db/client.ts';
import type { RgbImage } from '../../server/dataset/image-types.ts';
import { loadFrame, scanDataset } from '../../server/dataset/read-dataset.ts';
import { createEvaluationRun } from '../../server/evaluation/create-evaluation-run.ts';
import { getSegmenter, type Segmenter } from '../../server/inference/segmenter.ts';
import { startWorker } from '../../server/worker/start-worker.ts';

export interface EvalThroughput {
  arch: string;
  backend: string;
  images: number;
  /** The segmenter alone on decoded frames: the better of one batch at a time and two in flight. */
  rawImagesPerSecond: number;
  rawSequentialImagesPerSecond: number;
  rawPipelinedImagesPerSecond: number;
  /** From the first chunk's start to the run's finalisation (what the run records). */
  endToEndImagesPerSecond: number;
  percentOfRaw: number;
  /** Including queue pick-up of the first chunk and the page's polling. */
  wallImagesPerSecond: number;
  /** Machine-wide CPU time per image (all processes, the database included), and the cores. */
  cpu: { cores: number; rawMsPerImage: number; endToEndMsPerImage: number };
}

const BATCH = 4;

/**
 * Raw = the segmenter alone on frames already decoded in memory (batches of 4, label maps
 * at 800×600, as evaluation calls it), measured one batch at a time and with two batches in
 * flight (pre-processing the next while the runtime works); the faster counts. End-to-end =
 * an evaluation run through the queue: read + decode image and label, hood mask, inference,
 * confusion matrix, PNG encode, upsert of the prediction row, finalisation with the bootstrap.
 */
export async function benchEvaluation(arch = 'unet'): Promise<EvalThroughput> {
  await registerEmbeddedDefaults({ log: () => {}, queueEvaluations: false });
  const db = getDb();
  const ck = await db.checkpoint.findFirst({ where: { arch }, orderBy: { createdAt: 'desc' } });
  if (!ck) throw new Error(`no registered ${arch} checkpoint`);
  const dataset = await db.dataset.findUniqueOrThrow({ where: { name: 'carla-drive' } });
  const scanned = await scanDataset(path.join(config.dataDir, 'carla-drive'));
  const frames = await Promise.all(scanned.frames.filter((f) => f.split === 'val').map((f) => loadFrame(scanned, f)));
  const batches: RgbImage[][] = [];
  for (let i = 0; i < frames.length; i += BATCH) batches.push(frames.slice(i, i + BATCH).map((f) => f.rgb));
  const segmenter = await getSegmenter(path.resolve(ck.dir));
  await segmenter.segmentBatch(batches[0]);

  const sequential = await measure(frames.length, async () => {
    for (const b of batches) await segmenter.segmentBatch(b);
  });
  const pipelined = await measure(frames.length, () => inFlight(segmenter, batches, 2));
  const raw = sequential.perSecond >= pipelined.perSecond ? sequential : pipelined;

  await startWorker({ queues: ['evaluationChunk'] });
  let runId = '';
  const e2e = await measure(frames.length, async () => {
    ({ runId } = await createEvaluationRun({ checkpointId: ck.id, datasetId: dataset.id, split: 'val' }));
    for (;;) {
      const r = await db.evaluationRun.findUniqueOrThrow({ where: { id: runId } });
      if (r.status === 'completed') break;
      if (r.status === 'failed') throw new Error(`bench evaluation failed: ${r.error}`);
      await new Promise((res) => setTimeout(res, 100));
    }
  });
  const run = await db.evaluationRun.findUniqueOrThrow({ where: { id: runId } });
  const endToEnd = run.imagesPerSecond ?? e2e.perSecond;
  return {
    arch,
    backend: segmenter.backend,
    images: frames.length,
    rawImagesPerSecond: +raw.perSecond.toFixed(2),
    rawSequentialImagesPerSecond: +sequential.perSecond.toFixed(2),
    rawPipelinedImagesPerSecond: +pipelined.perSecond.toFixed(2),
    endToEndImagesPerSecond: +endToEnd.toFixed(2),
    percentOfRaw: +((100 * endToEnd) / raw.perSecond).toFixed(1),
    wallImagesPerSecond: +e2e.perSecond.toFixed(2),
    cpu: { cores: os.cpus().length, rawMsPerImage: +raw.cpuMsPerImage.toFixed(1), endToEndMsPerImage: +e2e.cpuMsPerImage.toFixed(1) },
  };
}

async function inFlight(segmenter: Segmenter, batches: RgbImage[][], depth: number): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < batches.length) await segmenter.segmentBatch(batches[next++]);
  };
  await Promise.all(Array.from({ length: depth }, lane));
}

async function measure(images: number, fn: () => Promise<void>): Promise<{ perSecond: number; cpuMsPerImage: number }> {
  const cpu0 = machineCpuMs();
  const t0 = performance.now();
  await fn();
  const seconds = (performance.now() - t0) / 1000;
  return { perSecond: images / seconds, cpuMsPerImage: (machineCpuMs() - cpu0) / images };
}

/** Busy CPU time of the whole machine in ms (Linux /proc/stat; this process only elsewhere). */
function machineCpuMs(): number {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
    return ((user + nice + system + irq + softirq + steal) * 1000) / 100; // USER_HZ = 100 on Linux
  } catch {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  }
}

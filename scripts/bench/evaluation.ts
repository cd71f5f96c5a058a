import path from 'node:path';
import { config } from '../../server/config.ts';
import { bootstrapEmbeddedDefaults } from '../../server/bootstrap/bootstrap-embedded-defaults.ts';
import { getDb } from '../../server/db.ts';
import { loadFrame, scanDataset } from '../../server/dataset/read-dataset.ts';
import { createEvaluationRun } from '../../server/evaluation/create-evaluation-run.ts';
import { getSegmenter } from '../../server/inference/segmenter.ts';
import { startWorker } from '../../server/jobs/start-worker.ts';

export interface EvalThroughput {
  arch: string;
  backend: string;
  images: number;
  rawImagesPerSecond: number;
  /** From the first chunk's start to the run's finalisation (what the run records). */
  endToEndImagesPerSecond: number;
  percentOfRaw: number;
  /** Including queue pick-up of the first chunk and the page's polling. */
  wallImagesPerSecond: number;
}

/**
 * Raw = the segmenter alone on frames already decoded in memory (batches of 4, labels at
 * 800×600, as evaluation calls it). End-to-end = an evaluation run through the queue:
 * read + decode image and label, hood mask, inference, confusion matrix, PNG encode,
 * upsert of the prediction row, finalisation with the bootstrap.
 */
export async function benchEvaluation(arch = 'unet'): Promise<EvalThroughput> {
  await bootstrapEmbeddedDefaults({ log: () => {}, queueEvaluations: false });
  const db = getDb();
  const ck = await db.checkpoint.findFirst({ where: { arch }, orderBy: { createdAt: 'desc' } });
  if (!ck) throw new Error(`no registered ${arch} checkpoint`);
  const dataset = await db.dataset.findUniqueOrThrow({ where: { name: 'carla-drive' } });
  const scanned = await scanDataset(path.join(config.dataDir, 'carla-drive'));
  const frames = await Promise.all(scanned.frames.filter((f) => f.split === 'val').map((f) => loadFrame(scanned, f)));
  const segmenter = await getSegmenter(path.resolve(ck.dir));
  await segmenter.segmentBatch(frames.slice(0, 4).map((f) => f.rgb));
  const t0 = performance.now();
  for (let i = 0; i < frames.length; i += 4) await segmenter.segmentBatch(frames.slice(i, i + 4).map((f) => f.rgb));
  const raw = frames.length / ((performance.now() - t0) / 1000);

  await startWorker({ queues: ['evaluationChunk'] });
  const t1 = performance.now();
  const { runId } = await createEvaluationRun({ checkpointId: ck.id, datasetId: dataset.id, split: 'val' });
  for (;;) {
    const r = await db.evaluationRun.findUniqueOrThrow({ where: { id: runId } });
    if (r.status === 'completed') break;
    if (r.status === 'failed') throw new Error(`bench evaluation failed: ${r.error}`);
    await new Promise((res) => setTimeout(res, 100));
  }
  const wall = frames.length / ((performance.now() - t1) / 1000);
  const run = await db.evaluationRun.findUniqueOrThrow({ where: { id: runId } });
  const e2e = run.imagesPerSecond ?? wall;
  return {
    arch, backend: segmenter.backend, images: frames.length, rawImagesPerSecond: +raw.toFixed(2),
    endToEndImagesPerSecond: +e2e.toFixed(2), percentOfRaw: +((100 * e2e) / raw).toFixed(1), wallImagesPerSecond: +wall.toFixed(2),
  };
}

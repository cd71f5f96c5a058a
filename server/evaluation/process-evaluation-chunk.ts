import path from 'node:path';
import { getDb } from '../db/client.ts';
import { isDatabaseUnavailable } from '../db/database-outage.ts';
import { confusionRowsSchema } from '../schemas/evaluation.ts';
import { labelPaletteSchema } from '../schemas/dataset.ts';
import { parseJson } from '../schemas/common.ts';
import { INTERNAL_RUN_FAILURE, userMessageOf } from '../errors.ts';
import { hoodMasksOf } from '../dataset/hood-masks-column.ts';
import { encodeLabelPng } from '../dataset/label-png.ts';
import { loadFrame } from '../dataset/read-dataset.ts';
import { computeMetrics } from '../metrics/class-metrics.ts';
import { confusionOf, confusionToRows } from '../metrics/confusion-matrix.ts';
import { getSegmenter, type Segmentation } from '../inference/segmenter.ts';
import { ttaSchema } from '../inference/tta.ts';
import { isLastAttempt } from '../jobs/definitions.ts';
import { LEGACY_QUALITY_OPTIONS, predictionQualityCountsSchema, qualityOptionsSchema } from '../schemas/quality.ts';
import { robustnessSpecOf, scoreRobustnessBatch } from '../robustness/robustness-run.ts';
import { finalizeEvaluationRun } from './finalize-evaluation-run.ts';
import { imageQualityCounts } from './image-quality-counts.ts';

const BATCH = 4;
const LANES = 2;

/**
 * One chunk of an evaluation run. Safe to repeat: images that already have a
 * prediction for this run are skipped, and each prediction is an upsert on
 * (run, image). The chunk that stores the last prediction finalises the run.
 */
export async function processEvaluationChunk(opts: { runId: string; imageIds: string[]; retryCount: number; signal?: AbortSignal }): Promise<void> {
  const db = getDb();
  const run = await db.evaluationRun.findUnique({
    where: { id: opts.runId },
    include: { checkpoint: true, dataset: true, quality: { select: { options: true } } },
  });
  if (!run) return; // deleted: nothing to do
  if (run.status === 'cancelled' || run.status === 'failed' || run.status === 'completed') return;
  try {
    const segmenter = await getSegmenter(path.resolve(run.checkpoint.dir), undefined, ttaSchema.parse(run.tta));
    if (run.status === 'queued') {
      await db.evaluationRun.updateMany({
        where: { id: run.id, status: 'queued' },
        data: { status: 'running', startedAt: new Date(), backend: segmenter.backend },
      });
    }
    const done = new Set(
      (await db.prediction.findMany({ where: { runId: run.id, imageId: { in: opts.imageIds } }, select: { imageId: true } })).map((p) => p.imageId),
    );
    const images = await db.datasetImage.findMany({ where: { id: { in: opts.imageIds.filter((id) => !done.has(id)) } }, orderBy: { key: 'asc' } });
    const hood = await hoodMasksOf(run.dataset);
    const robustness = await robustnessSpecOf(run.id);
    const labelPalette = parseJson(labelPaletteSchema, run.dataset.labelPalette, `${run.dataset.name} label palette`);
    const root = path.resolve(run.dataset.root);
    const options = run.quality ? parseJson(qualityOptionsSchema, run.quality.options, `run ${run.id} quality options`) : LEGACY_QUALITY_OPTIONS;
    const load = (batch: typeof images) =>
      Promise.all(
        batch.map((img) =>
          loadFrame(
            { hoodMasks: hood, labelPalette },
            { subset: img.subset, imagePath: path.join(root, img.imagePath), labelPath: path.join(root, img.labelPath) },
          ),
        ),
      );
    const persist = async (batch: typeof images, frames: Awaited<ReturnType<typeof load>>, outputs: Segmentation[]) =>
      Promise.all(
        batch.map(async (img, j) => {
          const cm = confusionOf(frames[j].label.data, outputs[j].label.data);
          const miou = computeMetrics(cm).miou;
          const data = {
            labelPng: await encodeLabelPng(outputs[j].label),
            confusion: parseJson(confusionRowsSchema, confusionToRows(cm), `prediction of ${img.key}`),
            imageMiou: Number.isFinite(miou) ? miou : null,
            latencyMs: outputs[j].latencyMs,
          };
          const probs = outputs[j].probabilities;
          const counts = parseJson(
            predictionQualityCountsSchema,
            imageQualityCounts(frames[j].label, outputs[j].label, probs ? { data: probs, ...segmenter.inputSize } : null, options),
            `quality counts of ${img.key}`,
          );
          // One transaction: a stored prediction (which makes a retry skip the image) always has its counts.
          await db.$transaction([
            db.prediction.upsert({
              where: { runId_imageId: { runId: run.id, imageId: img.id } },
              create: { runId: run.id, imageId: img.id, ...data },
              update: data,
            }),
            db.predictionQuality.upsert({
              where: { runId_imageId: { runId: run.id, imageId: img.id } },
              create: { runId: run.id, imageId: img.id, counts },
              update: { counts },
            }),
          ]);
        }),
      );
    // Batches flow through LANES independent lanes (decode → segment → store). The segmenter
    // runs one batch at a time, so while it works on one lane's batch the other lane decodes,
    // pre-processes and queues the next, and stores the last: the runtime never waits for I/O.
    const batches: (typeof images)[] = [];
    for (let i = 0; i < images.length; i += BATCH) batches.push(images.slice(i, i + BATCH));
    let next = 0;
    let stop = false;
    const lane = async () => {
      while (!stop && next < batches.length) {
        const batch = batches[next++];
        if (opts.signal?.aborted) throw new Error('job aborted');
        if ((await db.evaluationRun.findUnique({ where: { id: run.id }, select: { status: true } }))?.status === 'cancelled') {
          stop = true;
          return;
        }
        const frames = await load(batch);
        const sizes = new Set(frames.map((f) => `${f.rgb.width}x${f.rgb.height}`));
        // Probabilities when calibration was asked for and the model gives them (an imported graph gives labels only).
        const want = { probabilities: options.calibration && segmenter.providesProbabilities };
        const outputs =
          sizes.size === 1
            ? await segmenter.segmentBatch(
                frames.map((f) => f.rgb),
                want,
              )
            : await Promise.all(frames.map((f) => segmenter.segment(f.rgb, want)));
        if (robustness) await scoreRobustnessBatch({ runId: run.id, spec: robustness, images: batch, frames, segmenter });
        await persist(batch, frames, outputs);
      }
    };
    const lanes = await Promise.allSettled(
      Array.from({ length: LANES }, () =>
        lane().catch((e) => {
          stop = true;
          throw e;
        }),
      ),
    );
    const failure = lanes.find((l) => l.status === 'rejected');
    if (failure) throw failure.reason;
    const stored = await db.prediction.count({ where: { runId: run.id } });
    if (stored >= run.totalImages) await finalizeEvaluationRun(run.id);
  } catch (e) {
    // Last attempt: the run fails with a reason a user can read; the queue records the job as failed.
    // Not for a lost database: the worker runs the chunk again once it is back (start-worker.ts).
    if (isLastAttempt('evaluationChunk', opts.retryCount) && !isDatabaseUnavailable(e)) {
      // The row is read on /runs and /api/runs: the user-facing reason only; the rest goes to the log.
      console.error(`[evaluation] run ${run.id} chunk failed for good:`, e);
      const reason = userMessageOf(e, INTERNAL_RUN_FAILURE);
      await db.evaluationRun.updateMany({
        where: { id: run.id, status: { in: ['queued', 'running'] } },
        data: { status: 'failed', error: `chunk failed after ${opts.retryCount + 1} attempts: ${reason}`.slice(0, 1000), finishedAt: new Date() },
      });
    }
    throw e;
  }
}

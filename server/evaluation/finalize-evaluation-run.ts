import { config } from '../config.ts';
import { getDb } from '../db/client.ts';
import { confusionRowsSchema, evaluationMetricsSchema } from '../schemas/evaluation.ts';
import { parseJson } from '../schemas/common.ts';
import { bootstrapBlockSize } from '../metrics/bootstrap.ts';
import { confusionFromRows, confusionToRows } from '../metrics/confusion-matrix.ts';
import { summarizeImages } from '../metrics/summarize-images.ts';
import { computeRunQuality } from './compute-run-quality.ts';
import { saveRobustnessResults, summarizeRobustnessRun } from '../robustness/summarize-robustness-run.ts';

const nanToNull = (v: number) => (Number.isFinite(v) ? v : null);

/**
 * Turns a run's predictions into its numbers: the SUMMED confusion matrix (dataset-level
 * IoU), per-class rows, 95% bootstrap intervals over images, throughput. Exactly one
 * caller wins the `running → finalizing` transition, so a retried chunk never finalises twice.
 */
export async function finalizeEvaluationRun(runId: string): Promise<boolean> {
  const db = getDb();
  const won = await db.evaluationRun.updateMany({ where: { id: runId, status: 'running' }, data: { status: 'finalizing' } });
  if (won.count === 0) return false;
  try {
    const run = await db.evaluationRun.findUniqueOrThrow({ where: { id: runId }, include: { dataset: { select: { kind: true } } } });
    const preds = await db.prediction.findMany({
      where: { runId },
      select: { imageId: true, confusion: true, imageMiou: true },
      orderBy: { image: { key: 'asc' } },
    });
    const perImage = preds.map((p, i) => confusionFromRows(parseJson(confusionRowsSchema, p.confusion, `run ${runId} prediction ${i}`)));
    const blockSize = bootstrapBlockSize(run.dataset.kind);
    const { total, metrics: m, boot } = summarizeImages(perImage, blockSize);
    const unit = blockSize > 1 ? `block of ${blockSize} consecutive frames` : 'image';
    const robustness = await summarizeRobustnessRun({ runId, imageIds: preds.map((p) => p.imageId), clean: perImage, blockSize, unit });
    const imageMious = preds.map((p) => p.imageMiou).filter((v): v is number => v !== null);
    const quality = await computeRunQuality({ runId, blockSize, confusion: total.counts });
    const finishedAt = new Date();
    const seconds = run.startedAt ? (finishedAt.getTime() - run.startedAt.getTime()) / 1000 : null;
    // The crash test's hold: the numbers computed, none stored, the run `finalizing` until the process dies.
    if (config.testHoldFinalizingRunId === runId) await new Promise<never>(() => {});
    // Conditional on still finalising: a run cancelled meanwhile stays cancelled and gets no numbers.
    return await db.$transaction(async (tx) => {
      const won = await tx.evaluationRun.updateMany({
        where: { id: runId, status: 'finalizing' },
        data: {
          status: 'completed',
          finishedAt,
          confusion: parseJson(confusionRowsSchema, confusionToRows(total), `run ${runId} confusion`),
          miou: nanToNull(m.miou),
          imagesPerSecond: seconds ? preds.length / seconds : null,
          metrics: parseJson(
            evaluationMetricsSchema,
            {
              miou: nanToNull(m.miou),
              miouLow: nanToNull(boot.miou.low),
              miouHigh: nanToNull(boot.miou.high),
              pixelAccuracy: nanToNull(m.pixelAccuracy),
              fwIou: nanToNull(m.fwIou),
              classesCounted: m.classesCounted,
              meanImageMiou: imageMious.length ? imageMious.reduce((a, b) => a + b, 0) / imageMious.length : null,
              bootstrap: { resamples: boot.resamples, seed: boot.seed, confidence: boot.confidence, unit },
              images: preds.length,
            },
            `run ${runId} metrics`,
          ),
        },
      });
      if (won.count === 0) return false;
      if (quality) {
        const data = { costMatrix: quality.costMatrix, options: quality.options, summary: quality.summary, safetyError: quality.safetyError };
        await tx.runQuality.upsert({ where: { runId }, create: { runId, ...data }, update: data });
      }
      await tx.classMetric.deleteMany({ where: { runId } });
      await tx.classMetric.createMany({
        data: m.perClass.map((c) => ({
          runId,
          classId: c.classId,
          iou: nanToNull(c.iou),
          iouLow: nanToNull(boot.perClass[c.classId].low),
          iouHigh: nanToNull(boot.perClass[c.classId].high),
          precision: nanToNull(c.precision),
          recall: nanToNull(c.recall),
          dice: nanToNull(c.dice),
          support: c.support,
        })),
      });
      await saveRobustnessResults(tx, runId, robustness);
      return true;
    });
  } catch (e) {
    await db.evaluationRun.updateMany({ where: { id: runId, status: 'finalizing' }, data: { status: 'running' } });
    throw e;
  }
}

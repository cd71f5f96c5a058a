import { CLASSES, NUM_CLASSES } from '../../models/classes.ts';
import { getDb } from '../db/client.ts';
import { confusionRowsSchema } from '../schemas/evaluation.ts';
import { parseJson } from '../schemas/common.ts';
import { latestCompletedRunIds } from './latest-runs.ts';
import { runDisplayName } from '../inference/tta.ts';
import { AppError } from '../errors.ts';
import { computeMetrics } from '../metrics/class-metrics.ts';
import { confusionFromRows } from '../metrics/confusion-matrix.ts';

export interface Confusion {
  classId: number;
  share: number;
  pixels: number;
}

/**
 * One class across models, on one dataset split: IoU with CI per model, what it is
 * confused with in both directions (row: truth was this class; column: predicted as this
 * class), and the images where it fares worst (per-image IoU of this class).
 */
export async function getClassPage({ classId, datasetName, split, worst = 6 }: { classId: number; datasetName: string; split: string; worst?: number }) {
  if (!Number.isInteger(classId) || classId < 0 || classId >= NUM_CLASSES) throw new AppError('NOT_FOUND', `class ${classId}`, 'No such class.');
  const db = getDb();
  const dataset = await db.dataset.findUnique({ where: { name: datasetName } });
  if (!dataset) return { cls: CLASSES[classId], models: [], dataset: null };
  const runs = await db.evaluationRun.findMany({
    where: { id: { in: await latestCompletedRunIds(dataset.id, split) } },
    include: { checkpoint: { select: { id: true, name: true } }, classMetrics: { where: { classId } } },
  });
  const models = await Promise.all(
    runs.map(async (run) => {
      const cm = parseJson(confusionRowsSchema, run.confusion, `run ${run.id} confusion`);
      const row = cm[classId];
      const col = cm.map((r) => r[classId]);
      const rowTotal = row.reduce((a, b) => a + b, 0);
      const colTotal = col.reduce((a, b) => a + b, 0);
      const top = (vals: number[], total: number): Confusion[] =>
        vals
          .map((pixels, k) => ({ classId: k, pixels, share: total ? pixels / total : 0 }))
          .filter((c) => c.classId !== classId && c.pixels > 0)
          .sort((a, b) => b.pixels - a.pixels)
          .slice(0, 4);
      // Per-image IoU of this class from the per-image confusion matrices.
      const preds = await db.prediction.findMany({
        where: { runId: run.id },
        select: { id: true, imageId: true, confusion: true, image: { select: { key: true } } },
      });
      const perImage = preds
        .map((p) => {
          const c = computeMetrics(confusionFromRows(parseJson(confusionRowsSchema, p.confusion, `prediction ${p.id} confusion`))).perClass[classId];
          return { predictionId: p.id, imageId: p.imageId, key: p.image.key, iou: Number.isNaN(c.iou) ? null : c.iou, support: c.support };
        })
        .filter((x) => x.iou !== null && x.support > 0)
        .sort((a, b) => a.iou! - b.iou!);
      const metric = run.classMetrics[0];
      return {
        runId: run.id,
        checkpointId: run.checkpoint.id,
        name: runDisplayName(run.checkpoint.name, run.tta),
        iou: metric?.iou ?? null,
        low: metric?.iouLow ?? null,
        high: metric?.iouHigh ?? null,
        precision: metric?.precision ?? null,
        recall: metric?.recall ?? null,
        support: metric?.support ?? 0,
        truthPredictedAs: top(row, rowTotal),
        predictedFromTruth: top(col, colTotal),
        worstImages: perImage.slice(0, worst),
      };
    }),
  );
  return { cls: CLASSES[classId], models, dataset: { name: dataset.name, kind: dataset.kind } };
}

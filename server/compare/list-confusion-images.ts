import { CLASSES, NUM_CLASSES } from '../../models/classes.ts';
import { getDb } from '../db/client.ts';
import { confusionRowsSchema } from '../schemas/evaluation.ts';
import { parseJson } from '../schemas/common.ts';
import { AppError } from '../errors.ts';

export interface ConfusionImage {
  predictionId: string;
  imageId: string;
  key: string;
  width: number;
  height: number;
  /** Pixels of this truth class predicted as the other class on this image. */
  pixels: number;
  /** Those pixels over the image's pixels of the truth class. */
  shareOfTruth: number;
}

/** Validates one off-diagonal confusion cell: a class pair the heatmap links to. */
export function parseConfusionCell(truth: number, pred: number): { truth: number; pred: number } {
  const ok = (k: number) => Number.isInteger(k) && k >= 0 && k < NUM_CLASSES;
  if (!ok(truth) || !ok(pred))
    throw new AppError('INVALID_INPUT', `confusion cell ${truth} → ${pred}`, `No such confusion cell: classes are 0..${NUM_CLASSES - 1}.`);
  if (truth === pred)
    throw new AppError(
      'INVALID_INPUT',
      `diagonal cell ${truth}`,
      'That cell holds the correctly classified pixels, not a confusion: pick a cell off the diagonal.',
    );
  return { truth, pred };
}

/**
 * The images of a run where truth `truth` was predicted as `pred` the most (pixels, from the
 * stored per-image confusion matrices), with the run-wide total of that cell.
 */
export async function listConfusionImages({ runId, truth, pred, limit = 12 }: { runId: string; truth: number; pred: number; limit?: number }) {
  parseConfusionCell(truth, pred);
  const db = getDb();
  const run = await db.evaluationRun.findUnique({
    where: { id: runId },
    select: {
      id: true,
      status: true,
      split: true,
      confusion: true,
      checkpointId: true,
      checkpoint: { select: { name: true } },
      dataset: { select: { name: true } },
    },
  });
  if (!run) throw new AppError('NOT_FOUND', `run ${runId}`, 'No such evaluation run.');
  if (run.status !== 'completed' || run.confusion === null) throw new AppError('CONFLICT', `run ${runId} is ${run.status}`, 'The run has not completed yet.');
  const total = parseJson(confusionRowsSchema, run.confusion, `run ${runId} confusion`);
  const preds = await db.prediction.findMany({
    where: { runId },
    select: { id: true, imageId: true, confusion: true, image: { select: { key: true, width: true, height: true } } },
  });
  const images: ConfusionImage[] = preds
    .map((p) => {
      const rows = parseJson(confusionRowsSchema, p.confusion, `prediction ${p.id} confusion`);
      const truthPixels = rows[truth].reduce((s, v) => s + v, 0);
      const pixels = rows[truth][pred];
      return {
        predictionId: p.id,
        imageId: p.imageId,
        key: p.image.key,
        width: p.image.width,
        height: p.image.height,
        pixels,
        shareOfTruth: truthPixels ? pixels / truthPixels : 0,
      };
    })
    .filter((x) => x.pixels > 0)
    .sort((x, y) => y.pixels - x.pixels || x.key.localeCompare(y.key));
  const truthTotal = total[truth].reduce((s, v) => s + v, 0);
  return {
    run,
    truth: CLASSES[truth],
    pred: CLASSES[pred],
    pixels: total[truth][pred],
    shareOfTruth: truthTotal ? total[truth][pred] / truthTotal : 0,
    imagesWithConfusion: images.length,
    images: images.slice(0, limit),
  };
}

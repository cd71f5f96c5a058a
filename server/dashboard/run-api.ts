import { CLASSES } from '../../models/classes.ts';
import { runDisplayName } from '../inference/tta.ts';
import { getDb } from '../db/client.ts';
import { countPredictions } from './count-predictions.ts';
import { AppError } from '../errors.ts';

/** Read-only JSON views of evaluation runs for the public API. */
export async function listRunsForApi() {
  const runs = await getDb().evaluationRun.findMany({
    orderBy: { createdAt: 'desc' },
    take: 500,
    select: {
      id: true,
      status: true,
      split: true,
      totalImages: true,
      backend: true,
      miou: true,
      metrics: true,
      imagesPerSecond: true,
      createdAt: true,
      finishedAt: true,
      error: true,
      checkpoint: { select: { id: true, name: true, arch: true, weightsSha256: true } },
      dataset: { select: { name: true } },
    },
  });
  const done = await countPredictions(runs);
  return runs.map((r) => ({ ...r, dataset: r.dataset.name, progress: r.totalImages ? (done.get(r.id) ?? 0) / r.totalImages : 0 }));
}

export async function getRunForApi(id: string) {
  const run = await getDb().evaluationRun.findUnique({
    where: { id },
    include: { checkpoint: { select: { id: true, name: true, arch: true, weightsSha256: true } }, dataset: { select: { name: true } } },
  });
  if (!run) throw new AppError('NOT_FOUND', `run ${id}`, 'No such run.');
  const done = await countPredictions([run]);
  return { ...run, dataset: run.dataset.name, progress: run.totalImages ? (done.get(id) ?? 0) / run.totalImages : 0 };
}

export async function getRunClassesForApi(id: string) {
  const run = await getDb().evaluationRun.findUnique({
    where: { id },
    include: { classMetrics: { orderBy: { classId: 'asc' } }, checkpoint: { select: { name: true } } },
  });
  if (!run) throw new AppError('NOT_FOUND', `run ${id}`, 'No such run.');
  return run.classMetrics.map((c) => ({
    runId: id,
    model: runDisplayName(run.checkpoint.name, run.tta),
    classId: c.classId,
    className: CLASSES[c.classId].name,
    iou: c.iou,
    iouLow: c.iouLow,
    iouHigh: c.iouHigh,
    precision: c.precision,
    recall: c.recall,
    dice: c.dice,
    support: c.support,
  }));
}

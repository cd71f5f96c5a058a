import { CLASSES } from '../../models/classes.ts';
import { getDb } from '../db/client.ts';
import { parseJson } from '../schemas/common.ts';
import { AppError } from '../errors.ts';
import { costMatrixSchema, LEGACY_QUALITY_OPTIONS, qualityOptionsSchema, runQualitySummarySchema } from '../schemas/quality.ts';

/** A run's metrics beyond mIoU for its page and the API; summary null until the run is finalised. */
export async function getRunQuality(runId: string) {
  const run = await getDb().evaluationRun.findUnique({
    where: { id: runId },
    select: {
      id: true,
      status: true,
      split: true,
      miou: true,
      totalImages: true,
      checkpoint: { select: { id: true, name: true } },
      dataset: { select: { id: true, name: true } },
      quality: { select: { costMatrix: true, options: true, summary: true, updatedAt: true } },
    },
  });
  if (!run) throw new AppError('NOT_FOUND', `run ${runId}`, 'No such evaluation run.');
  const q = run.quality;
  return {
    run: { id: run.id, status: run.status, split: run.split, miou: run.miou, images: run.totalImages, model: run.checkpoint, dataset: run.dataset },
    options: q ? parseJson(qualityOptionsSchema, q.options, `run ${run.id} quality options`) : LEGACY_QUALITY_OPTIONS,
    costMatrix: q ? parseJson(costMatrixSchema, q.costMatrix, `run ${run.id} cost matrix`) : null,
    summary: q?.summary ? parseJson(runQualitySummarySchema, q.summary, `run ${run.id} quality summary`) : null,
  };
}

/** One row per class for CSV export: ECE, flicker beside the truth's change rate, boundary IoU, with intervals. */
export async function getRunQualityClassRows(runId: string) {
  const { run, summary } = await getRunQuality(runId);
  if (!summary)
    throw new AppError(
      'NOT_FOUND',
      `run ${runId} has no quality summary`,
      'This run has no numbers yet (not finished, or evaluated before these metrics existed).',
    );
  return CLASSES.map((c) => {
    const cal = summary.calibration.available ? summary.calibration.perClass[c.id] : null;
    const tmp = summary.temporal.available ? summary.temporal.perClass[c.id] : null;
    const bnd = summary.boundary.available ? summary.boundary.perClass[c.id] : null;
    const small = summary.smallObjects.classes.indexOf(c.id);
    return {
      runId: run.id,
      model: run.model.name,
      classId: c.id,
      className: c.name,
      ece: cal?.estimate ?? null,
      eceLow: cal?.low ?? null,
      eceHigh: cal?.high ?? null,
      flicker: tmp?.flicker.estimate ?? null,
      flickerLow: tmp?.flicker.low ?? null,
      flickerHigh: tmp?.flicker.high ?? null,
      gtChange: tmp?.gtChange ?? null,
      boundaryIou: bnd?.estimate ?? null,
      boundaryIouLow: bnd?.low ?? null,
      boundaryIouHigh: bnd?.high ?? null,
      ...Object.fromEntries(
        summary.smallObjects.buckets.flatMap((b, i) => {
          const r = small >= 0 ? summary.smallObjects.recall[small][i] : null;
          const name = `recall_${b.replace(/[^0-9a-z]+/gi, '_').replace(/_+$/, '')}`;
          return [
            [name, r?.estimate ?? null],
            [`${name}_objects`, r?.objects ?? null],
          ];
        }),
      ),
    };
  });
}

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { getDb } from '../db/client.ts';
import { labelPaletteSchema } from '../schemas/dataset.ts';
import { parseJson } from '../schemas/common.ts';
import { decodeRegisteredLabel } from '../dataset/decode.ts';
import { applyIgnoreMask } from '../dataset/hood-mask.ts';
import { hoodMasksOf } from '../dataset/hood-masks-column.ts';
import type { LabelMap } from '../dataset/image-types.ts';
import { decodeLabelPng } from '../dataset/label-png.ts';
import { defaultCostMatrix } from '../metrics/safety-weighted-error.ts';
import { consecutivePairs, temporalPairCounts } from '../metrics/temporal-stability.ts';
import {
  costMatrixSchema,
  LEGACY_QUALITY_OPTIONS,
  predictionQualityCountsSchema,
  qualityOptionsSchema,
  runQualitySummarySchema,
  type CostMatrix,
  type QualityOptions,
  type RunQualitySummary,
} from '../schemas/quality.ts';
import { summariseRunQuality, type FramePair } from './summarise-run-quality.ts';

export const NO_PROBABILITIES_REASON =
  'this model returns labels only (an imported ONNX graph gives no class probabilities), so its confidence cannot be scored';
export const CALIBRATION_NOT_ASKED =
  'not computed for this run: it was started with calibration switched off (eval --no-calibration, or the unticked option on Runs)';
export const BOUNDARY_NOT_ASKED =
  'not computed for this run: it was started with boundary IoU switched off (eval --no-boundary, or the unticked option on Runs)';

/**
 * A run's metrics beyond mIoU, from the per-image counts stored with its predictions and, for
 * flicker, its stored label maps of consecutive frames against their truth. Null when some
 * prediction has no counts (stored by a version before these metrics): nothing half-counted.
 */
export async function computeRunQuality(opts: {
  runId: string;
  blockSize: number;
  confusion: Float64Array;
}): Promise<{ summary: RunQualitySummary; costMatrix: CostMatrix; options: QualityOptions; safetyError: number | null } | null> {
  const db = getDb();
  const run = await db.evaluationRun.findUniqueOrThrow({
    where: { id: opts.runId },
    include: { dataset: true, quality: { select: { costMatrix: true, options: true } } },
  });
  const rows = await db.predictionQuality.findMany({ where: { runId: run.id }, select: { counts: true, imageId: true }, orderBy: { image: { key: 'asc' } } });
  const predictions = await db.prediction.count({ where: { runId: run.id } });
  if (rows.length === 0 || rows.length !== predictions) return null;
  const images = rows.map((r) => parseJson(predictionQualityCountsSchema, r.counts, `run ${run.id} quality counts of image ${r.imageId}`));
  const options = run.quality ? parseJson(qualityOptionsSchema, run.quality.options, `run ${run.id} quality options`) : LEGACY_QUALITY_OPTIONS;
  const costMatrix = run.quality ? parseJson(costMatrixSchema, run.quality.costMatrix, `run ${run.id} cost matrix`) : defaultCostMatrix();
  const summary = summariseRunQuality({
    images,
    blockSize: opts.blockSize,
    costMatrix,
    defaultCostMatrix: JSON.stringify(costMatrix) === JSON.stringify(defaultCostMatrix()),
    temporal:
      run.dataset.kind === 'drive'
        ? { pairs: await framePairs(run.id, run.dataset) }
        : { reason: 'a held-out set of independent frames, not a drive: no frame follows another' },
    calibrationAbsentReason: options.calibration ? NO_PROBABILITIES_REASON : CALIBRATION_NOT_ASKED,
    boundaryAbsentReason: BOUNDARY_NOT_ASKED,
    confusion: opts.confusion,
  });
  return {
    summary: parseJson(runQualitySummarySchema, summary, `run ${run.id} quality summary`),
    costMatrix,
    options,
    safetyError: summary.safety.error.estimate,
  };
}

/** Flicker counts of every pair of consecutive evaluated frames, reading each frame's truth and prediction once. */
async function framePairs(
  runId: string,
  dataset: { root: string; hoodMasks: unknown; contentHash: string; labelPalette: unknown; name: string },
): Promise<FramePair[]> {
  const db = getDb();
  const frames = await db.datasetImage.findMany({
    where: { predictions: { some: { runId } } },
    select: { id: true, key: true, subset: true, labelPath: true },
    orderBy: { key: 'asc' },
  });
  const pairs = consecutivePairs(frames);
  if (pairs.length === 0) return [];
  const hood = await hoodMasksOf(dataset);
  const palette = parseJson(labelPaletteSchema, dataset.labelPalette, `${dataset.name} label palette`);
  const cache = new Map<number, { gt: LabelMap; pred: LabelMap }>();
  const load = async (i: number) => {
    const hit = cache.get(i);
    if (hit) return hit;
    const f = frames[i];
    const file = path.resolve(dataset.root, f.labelPath);
    const [gt, row] = await Promise.all([
      decodeRegisteredLabel(await readFile(file), file, palette).then((l) => applyIgnoreMask(l, hood.get(f.subset) ?? null)),
      db.prediction.findUniqueOrThrow({ where: { runId_imageId: { runId, imageId: f.id } }, select: { labelPng: true } }),
    ]);
    const loaded = { gt, pred: await decodeLabelPng(row.labelPng) };
    cache.clear(); // pairs come in frame order: only the frame just read is needed again
    cache.set(i, loaded);
    return loaded;
  };
  const out: FramePair[] = [];
  for (const [a, b] of pairs) {
    const A = await load(a);
    const B = await load(b);
    if (A.gt.data.length !== B.gt.data.length) continue; // frames of different sizes are not one sequence
    out.push({
      imageIdA: frames[a].id,
      keyA: frames[a].key,
      imageIdB: frames[b].id,
      keyB: frames[b].key,
      counts: temporalPairCounts(A.gt.data, B.gt.data, A.pred.data, B.pred.data),
    });
  }
  return out;
}

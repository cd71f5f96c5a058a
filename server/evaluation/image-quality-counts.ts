import { NUM_CLASSES } from '../../models/classes.ts';
import type { LabelMap } from '../dataset/image-types.ts';
import { boundaryCounts, defaultBandPx } from '../metrics/boundary-iou.ts';
import { accumulateCalibration, calibrationStatsLength, confidenceOfLabels } from '../metrics/calibration.ts';
import { rowWeightedConfusion } from '../metrics/safety-weighted-error.ts';
import { smallObjectCounts } from '../metrics/small-object-recall.ts';
import type { PredictionQualityCounts } from '../schemas/quality.ts';

/**
 * One evaluated image's counts for the metrics beyond mIoU, from its truth (ignore policy
 * applied), the model's label map at the truth's size and, where the model gives them, its
 * softmax probabilities at the network's size ([C, h, w]) when calibration was asked for.
 */
export function imageQualityCounts(
  gt: LabelMap,
  pred: LabelMap,
  probabilities: { data: Float32Array; width: number; height: number } | null,
  opts: { boundary: boolean },
): PredictionQualityCounts {
  const { width, height } = gt;
  if (pred.width !== width || pred.height !== height)
    throw new RangeError(`imageQualityCounts: prediction ${pred.width}x${pred.height} for a ${width}x${height} label`);
  const bandPx = defaultBandPx(width, height);
  let calibration: number[] | null = null;
  if (probabilities) {
    const conf = confidenceOfLabels(probabilities.data, NUM_CLASSES, probabilities.height, probabilities.width, pred.data, width, height);
    calibration = Array.from(accumulateCalibration(gt.data, pred.data, conf, new Float64Array(calibrationStatsLength())));
  }
  return {
    calibration,
    safety: Array.from(rowWeightedConfusion(gt.data, pred.data, width, height)),
    boundary: opts.boundary ? Array.from(boundaryCounts(gt.data, pred.data, width, height, bandPx)) : null,
    bandPx,
    smallObjects: Array.from(smallObjectCounts(gt.data, pred.data, width, height)),
  };
}

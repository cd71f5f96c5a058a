import { IGNORE_INDEX, NUM_CLASSES } from '../../models/classes.ts';
import { accumulateCalibration, binOf, calibrationStatsLength, coverageCurve } from './calibration.ts';

/** The image viewer's threshold steps: 0, 0.01, …, 0.99 (a pixel is abstained below the threshold). */
const ABSTENTION_STEPS = 100;

interface AbstentionPoint {
  threshold: number;
  /** Share of the evaluated pixels abstained (confidence below the threshold). */
  abstained: number;
  /** mIoU of the kept pixels only, abstained pixels counting for no class (NaN when none is kept). */
  miou: number;
  pixelAccuracy: number;
}

/**
 * One image at every threshold step: the run-level mIoU–coverage curve's rule (`coverageCurve`:
 * keep the confidence bins at or above the threshold) at the slider's finer steps, so threshold
 * 0 keeps every evaluated pixel and gives the image's plain mIoU and pixel accuracy.
 */
export function abstentionCurve(
  gt: ArrayLike<number>,
  pred: ArrayLike<number>,
  confidence: ArrayLike<number>,
  steps = ABSTENTION_STEPS,
  c = NUM_CLASSES,
): AbstentionPoint[] {
  const stats = accumulateCalibration(gt, pred, confidence, new Float64Array(calibrationStatsLength(c, steps)), c, steps);
  return coverageCurve(stats, c, steps).map((p) => ({ threshold: p.threshold, abstained: 1 - p.coverage, miou: p.miou, pixelAccuracy: p.pixelAccuracy }));
}

/**
 * Each pixel's threshold step (0..steps−1): it is abstained at threshold k/steps when its step
 * is below k, the same binning `abstentionCurve` counts with. Ignored truth stays IGNORE_INDEX
 * (it is neither kept nor abstained).
 */
export function confidenceSteps(gt: ArrayLike<number>, confidence: ArrayLike<number>, steps = ABSTENTION_STEPS): Uint8Array {
  if (gt.length !== confidence.length) throw new RangeError('confidenceSteps: truth and confidence differ in length');
  if (steps > IGNORE_INDEX) throw new RangeError(`confidenceSteps: at most ${IGNORE_INDEX} steps fit beside the ignore value`);
  const out = new Uint8Array(gt.length);
  for (let i = 0; i < gt.length; i++) out[i] = gt[i] === IGNORE_INDEX ? IGNORE_INDEX : binOf(confidence[i], steps);
  return out;
}

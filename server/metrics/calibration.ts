import { IGNORE_INDEX, NUM_CLASSES } from '../../models/classes.ts';
import { computeMetrics } from './class-metrics.ts';
import type { ConfusionMatrix } from './confusion-matrix.ts';

/** Equal-width confidence bins over [0, 1], as in Guo et al. 2017 and most segmentation ECE reports. */
export const CALIBRATION_BINS = 15;

/**
 * Per-image calibration counts, summable over images: for every confidence bin a full
 * truth × prediction confusion matrix (so accuracy per bin, per predicted class, and the
 * confusion of any "confidence ≥ t" subset all follow), then the sum of confidences per
 * (bin, predicted class). Layout: [B·C·C confusion | B·C confidence sums].
 */
export function calibrationStatsLength(c = NUM_CLASSES, bins = CALIBRATION_BINS): number {
  return bins * c * c + bins * c;
}

export function binOf(confidence: number, bins = CALIBRATION_BINS): number {
  return Math.min(bins - 1, Math.max(0, Math.floor(confidence * bins)));
}

/** Adds one image: truth (255 = ignored), prediction and the confidence of each predicted pixel. */
export function accumulateCalibration(
  gt: ArrayLike<number>,
  pred: ArrayLike<number>,
  confidence: ArrayLike<number>,
  into: Float64Array,
  c = NUM_CLASSES,
  bins = CALIBRATION_BINS,
): Float64Array {
  if (gt.length !== pred.length || gt.length !== confidence.length)
    throw new RangeError('accumulateCalibration: truth, prediction and confidence differ in length');
  if (into.length !== calibrationStatsLength(c, bins)) throw new RangeError('accumulateCalibration: wrong stats length');
  const sums = bins * c * c;
  for (let i = 0; i < gt.length; i++) {
    const t = gt[i];
    if (t === IGNORE_INDEX) continue;
    const p = pred[i];
    if (t >= c || p >= c) throw new RangeError(`accumulateCalibration: class id ${t >= c ? t : p} at pixel ${i} is outside 0..${c - 1}`);
    const conf = confidence[i];
    const b = binOf(conf, bins);
    into[(b * c + t) * c + p] += 1;
    into[sums + b * c + p] += conf;
  }
  return into;
}

/**
 * Confidence at each label pixel: the model's softmax probability of the class it emitted
 * there. The softmax comes at the network's output size ([C, h, w]); the emitted label is the
 * argmax of the logits resized bilinearly (half-pixel centres) to the label's size, so the
 * probability of that class is resized the same way. This reads 4 values per pixel instead
 * of resizing 13 logit planes and taking 13 exponentials per pixel at 800×600.
 */
export function confidenceOfLabels(probabilities: Float32Array, c: number, h: number, w: number, labels: Uint8Array, outW: number, outH: number): Float32Array {
  if (probabilities.length !== c * h * w) throw new RangeError('confidenceOfLabels: probabilities are not [C, h, w]');
  if (labels.length !== outW * outH) throw new RangeError('confidenceOfLabels: labels are not outW × outH');
  const out = new Float32Array(outW * outH);
  const sx = w / outW;
  const sy = h / outH;
  const x0s = new Int32Array(outW);
  const x1s = new Int32Array(outW);
  const fxs = new Float32Array(outW);
  for (let x = 0; x < outW; x++) {
    const fx = Math.min(w - 1, Math.max(0, (x + 0.5) * sx - 0.5));
    x0s[x] = Math.floor(fx);
    x1s[x] = Math.min(w - 1, x0s[x] + 1);
    fxs[x] = fx - x0s[x];
  }
  const hw = h * w;
  for (let y = 0; y < outH; y++) {
    const fy = Math.min(h - 1, Math.max(0, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(h - 1, y0 + 1);
    const wy = fy - y0;
    const r0 = y0 * w;
    const r1 = y1 * w;
    for (let x = 0; x < outW; x++) {
      const o = y * outW + x;
      const base = labels[o] * hw;
      const a = x0s[x];
      const b = x1s[x];
      const wx = fxs[x];
      const top = probabilities[base + r0 + a] * (1 - wx) + probabilities[base + r0 + b] * wx;
      const bottom = probabilities[base + r1 + a] * (1 - wx) + probabilities[base + r1 + b] * wx;
      out[o] = top * (1 - wy) + bottom * wy;
    }
  }
  return out;
}

interface ReliabilityBin {
  lower: number;
  upper: number;
  pixels: number;
  /** Mean confidence of the bin's pixels (NaN when empty). */
  confidence: number;
  /** Share of them predicted correctly (NaN when empty). */
  accuracy: number;
}

/** Bins of all pixels, or (with `predictedClass`) of the pixels predicted as that class. */
export function reliabilityBins(stats: Float64Array, predictedClass: number | null = null, c = NUM_CLASSES, bins = CALIBRATION_BINS): ReliabilityBin[] {
  const sums = bins * c * c;
  return Array.from({ length: bins }, (_, b) => {
    let pixels = 0;
    let correct = 0;
    let confSum = 0;
    for (let p = 0; p < c; p++) {
      if (predictedClass !== null && p !== predictedClass) continue;
      for (let t = 0; t < c; t++) pixels += stats[(b * c + t) * c + p];
      correct += stats[(b * c + p) * c + p];
      confSum += stats[sums + b * c + p];
    }
    return {
      lower: b / bins,
      upper: (b + 1) / bins,
      pixels,
      confidence: pixels ? confSum / pixels : Number.NaN,
      accuracy: pixels ? correct / pixels : Number.NaN,
    };
  });
}

/** Expected calibration error: Σ_b (n_b / N)·|accuracy_b − confidence_b|; NaN with no pixels. */
function expectedCalibrationError(bins: readonly ReliabilityBin[]): number {
  const total = bins.reduce((s, b) => s + b.pixels, 0);
  if (total === 0) return Number.NaN;
  return bins.reduce((s, b) => (b.pixels ? s + (b.pixels / total) * Math.abs(b.accuracy - b.confidence) : s), 0);
}

/** [overall ECE, ECE of the pixels predicted as class 0..C−1]: the statistic bootstrapped per run. */
export function calibrationErrors(stats: Float64Array, c = NUM_CLASSES, bins = CALIBRATION_BINS): number[] {
  return [
    expectedCalibrationError(reliabilityBins(stats, null, c, bins)),
    ...Array.from({ length: c }, (_, k) => expectedCalibrationError(reliabilityBins(stats, k, c, bins))),
  ];
}

interface CoveragePoint {
  /** Pixels with confidence below this are abstained (not predicted). */
  threshold: number;
  /** Share of the evaluated pixels still predicted. */
  coverage: number;
  /** Dataset-level mIoU over the predicted pixels only (NaN when none). */
  miou: number;
  pixelAccuracy: number;
}

/**
 * mIoU–coverage: abstaining below each bin's lower edge keeps the bins above it, whose
 * confusion matrices sum to the confusion of the kept pixels. Abstained pixels count in no
 * class (neither as a miss nor as a false positive): the curve shows what the confident
 * part of the output is worth, and `coverage` says how much of the frame that is.
 */
export function coverageCurve(stats: Float64Array, c = NUM_CLASSES, bins = CALIBRATION_BINS): CoveragePoint[] {
  let total = 0;
  for (let i = 0; i < bins * c * c; i++) total += stats[i];
  const kept: ConfusionMatrix = { n: c, counts: new Float64Array(c * c) };
  const points: CoveragePoint[] = [];
  let keptPixels = 0;
  for (let b = bins - 1; b >= 0; b--) {
    for (let k = 0; k < c * c; k++) {
      kept.counts[k] += stats[b * c * c + k];
      keptPixels += stats[b * c * c + k];
    }
    const m = computeMetrics(kept);
    points.push({ threshold: b / bins, coverage: total ? keptPixels / total : Number.NaN, miou: m.miou, pixelAccuracy: m.pixelAccuracy });
  }
  return points.reverse();
}

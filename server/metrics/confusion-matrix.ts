import { IGNORE_INDEX, NUM_CLASSES } from '../../models/classes.ts';

/**
 * A square confusion matrix, row = ground truth, column = prediction, stored
 * row-major as a flat Float64Array of size n·n (float so that sums of many images and
 * bootstrap resamples stay exact far beyond 2^32 pixels).
 */
export interface ConfusionMatrix {
  n: number;
  counts: Float64Array;
}

export function emptyConfusion(n = NUM_CLASSES): ConfusionMatrix {
  return { n, counts: new Float64Array(n * n) };
}

/**
 * Accumulates one label map pair. Ground-truth pixels equal to `ignoreIndex` are
 * skipped (and so are the predictions at them). Any other value outside 0..n-1, in
 * either map, is an error: silently dropping pixels would flatter the metric.
 */
export function accumulateConfusion(
  cm: ConfusionMatrix,
  gt: ArrayLike<number>,
  pred: ArrayLike<number>,
  ignoreIndex: number = IGNORE_INDEX,
): ConfusionMatrix {
  if (gt.length !== pred.length) throw new RangeError(`confusion: ground truth has ${gt.length} pixels, prediction ${pred.length}`);
  const { n, counts } = cm;
  for (let i = 0; i < gt.length; i++) {
    const g = gt[i];
    if (g === ignoreIndex) continue;
    const p = pred[i];
    if (!(g >= 0 && g < n && Number.isInteger(g))) throw new RangeError(`confusion: ground-truth value ${g} at pixel ${i} is outside 0..${n - 1}`);
    if (!(p >= 0 && p < n && Number.isInteger(p))) throw new RangeError(`confusion: predicted value ${p} at pixel ${i} is outside 0..${n - 1}`);
    counts[g * n + p]++;
  }
  return cm;
}

export function confusionOf(gt: ArrayLike<number>, pred: ArrayLike<number>, n = NUM_CLASSES, ignoreIndex = IGNORE_INDEX): ConfusionMatrix {
  return accumulateConfusion(emptyConfusion(n), gt, pred, ignoreIndex);
}

export function addConfusion(into: ConfusionMatrix, other: ConfusionMatrix, weight = 1): ConfusionMatrix {
  if (into.n !== other.n) throw new RangeError('confusion: matrices differ in size');
  for (let i = 0; i < into.counts.length; i++) into.counts[i] += weight * other.counts[i];
  return into;
}

export function sumConfusions(ms: readonly ConfusionMatrix[], n = NUM_CLASSES): ConfusionMatrix {
  const out = emptyConfusion(n);
  for (const m of ms) addConfusion(out, m);
  return out;
}

/** Plain nested arrays for JSON / database storage. */
export function confusionToRows(cm: ConfusionMatrix): number[][] {
  return Array.from({ length: cm.n }, (_, r) => Array.from(cm.counts.subarray(r * cm.n, (r + 1) * cm.n)));
}

export function confusionFromRows(rows: readonly (readonly number[])[]): ConfusionMatrix {
  const n = rows.length;
  const cm = emptyConfusion(n);
  rows.forEach((row, r) => {
    if (row.length !== n) throw new RangeError('confusion: rows must form a square matrix');
    row.forEach((v, c) => (cm.counts[r * n + c] = v));
  });
  return cm;
}

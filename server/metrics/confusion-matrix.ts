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
export function accumulateConfusion(cm: ConfusionMatrix, gt: ArrayLike<number>, pred: ArrayLike<number>, ignoreIndex: number = IGNORE_INDEX): ConfusionMatrix {
  if (gt.length !== pred.length) throw new RangeError(`confusion: ground truth has ${gt.length} pixels, prediction ${pred.length}`);
  if (gt instanceof Uint8Array && pred instanceof Uint8Array) return accumulateBytes(cm, gt, pred, ignoreIndex);
  return accumulateChecked(cm, gt, pred, ignoreIndex);
}

function accumulateChecked(cm: ConfusionMatrix, gt: ArrayLike<number>, pred: ArrayLike<number>, ignoreIndex: number): ConfusionMatrix {
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

/**
 * Byte maps (every label map in PixelDrive) are counted into a 256×256 histogram of
 * (truth, prediction) pairs, then checked by the same rules as the per-pixel loop: any
 * count outside the valid block sends the maps through that loop, which names the first
 * bad pixel. Label maps are long runs of one class, so the histogram reads four pixels of
 * each map as one 32-bit word and counts a word pair equal to the one before it in bulk.
 */
function accumulateBytes(cm: ConfusionMatrix, gt: Uint8Array, pred: Uint8Array, ignoreIndex: number): ConfusionMatrix {
  const { n, counts } = cm;
  const hist = pairHistogram(gt, pred);
  for (let g = 0; g < 256; g++) {
    if (g === ignoreIndex) continue;
    for (let p = 0; p < 256; p++) {
      if (hist[(g << 8) | p] !== 0 && (g >= n || p >= n)) return accumulateChecked(cm, gt, pred, ignoreIndex);
    }
  }
  for (let g = 0; g < n; g++) for (let p = 0; p < n; p++) counts[g * n + p] += hist[(g << 8) | p];
  return cm;
}

/** Reused by every call (zeroed first; nothing keeps a reference): 512 KB less garbage per image. */
const pairScratch = new Float64Array(256 * 256);

function pairHistogram(gt: Uint8Array, pred: Uint8Array): Float64Array {
  const hist = pairScratch.fill(0);
  let tail = 0;
  if (gt.byteOffset % 4 === 0 && pred.byteOffset % 4 === 0) {
    const words = gt.length >> 2;
    const G = new Uint32Array(gt.buffer, gt.byteOffset, words);
    const P = new Uint32Array(pred.buffer, pred.byteOffset, words);
    let g = 0;
    let p = 0;
    let repeat = 0; // how many times the word pair (g, p) occurred since it was last counted
    for (let i = 0; i < words; i++) {
      const gi = G[i];
      const pi = P[i];
      if (gi === g && pi === p) {
        repeat++;
        continue;
      }
      if (repeat) countWord(hist, g, p, repeat);
      g = gi;
      p = pi;
      repeat = 1;
    }
    if (repeat) countWord(hist, g, p, repeat);
    tail = words << 2;
  }
  for (let i = tail; i < gt.length; i++) hist[(gt[i] << 8) | pred[i]]++;
  return hist;
}

/** Adds `times` to the bins of the four byte pairs in a word pair (byte order does not matter). */
function countWord(hist: Float64Array, g: number, p: number, times: number): void {
  hist[((g & 255) << 8) | (p & 255)] += times;
  hist[(((g >>> 8) & 255) << 8) | ((p >>> 8) & 255)] += times;
  hist[(((g >>> 16) & 255) << 8) | ((p >>> 16) & 255)] += times;
  hist[((g >>> 24) << 8) | (p >>> 24)] += times;
}

export function confusionOf(gt: ArrayLike<number>, pred: ArrayLike<number>, n = NUM_CLASSES, ignoreIndex = IGNORE_INDEX): ConfusionMatrix {
  return accumulateConfusion(emptyConfusion(n), gt, pred, ignoreIndex);
}

function addConfusion(into: ConfusionMatrix, other: ConfusionMatrix, weight = 1): ConfusionMatrix {
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

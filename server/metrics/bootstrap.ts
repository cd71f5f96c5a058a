import { rng } from '../random.ts';
import { sumConfusions, type ConfusionMatrix } from './confusion-matrix.ts';
import { classIous, meanIgnoringNaN } from './class-metrics.ts';

interface Interval {
  estimate: number;
  low: number;
  high: number;
}

export interface BootstrapResult {
  miou: Interval;
  perClass: Interval[];
  resamples: number;
  seed: number;
  confidence: number;
}

export interface BootstrapOptions {
  resamples?: number;
  seed?: number;
  /** e.g. 0.95 for a 95% interval. */
  confidence?: number;
}

export const BOOTSTRAP_DEFAULTS = { resamples: 1000, seed: 20240601, confidence: 0.95 };

/**
 * Percentile bootstrap over IMAGES: each resample draws n images with replacement, sums
 * their confusion matrices and recomputes dataset-level IoU. Seeded, so the same inputs
 * give the same interval. A class that is NaN in a resample (absent from it) is left out
 * of that resample's distribution for the class, and out of its mIoU, as in the estimate.
 */
export function bootstrapMiou(perImage: readonly ConfusionMatrix[], opts: BootstrapOptions = {}): BootstrapResult {
  const { resamples, seed, confidence } = { ...BOOTSTRAP_DEFAULTS, ...opts };
  if (perImage.length === 0) throw new RangeError('bootstrap: no images');
  const n = perImage[0].n;
  const total = sumConfusions(perImage, n);
  const estimate = classIous(total);
  const draws = resampleIndices(perImage.length, resamples, seed);
  const miouSamples: number[] = [];
  const classSamples: number[][] = Array.from({ length: n }, () => []);
  const acc = { n, counts: new Float64Array(n * n) };
  const ious = new Float64Array(n);
  for (const idx of draws) {
    acc.counts.fill(0);
    for (const i of idx) addInto(acc.counts, perImage[i].counts);
    classIous(acc, ious);
    miouSamples.push(meanIgnoringNaN(ious));
    for (let k = 0; k < n; k++) if (!Number.isNaN(ious[k])) classSamples[k].push(ious[k]);
  }
  const alpha = 1 - confidence;
  return {
    miou: { estimate: meanIgnoringNaN(estimate), ...percentiles(miouSamples, alpha) },
    perClass: Array.from(estimate, (e, k) => ({ estimate: e, ...percentiles(classSamples[k], alpha) })),
    resamples,
    seed,
    confidence,
  };
}

export interface PairedComparison {
  /** mIoU(a) − mIoU(b) on the same images. */
  difference: Interval;
  /** Two-sided bootstrap p-value for "no difference". */
  pValue: number;
  images: number;
  resamples: number;
}

/**
 * Paired bootstrap for two models evaluated on the SAME images: every resample uses the
 * same image draw for both, so per-image difficulty cancels out. The p-value is
 * 2·min(P(Δ* ≤ 0), P(Δ* ≥ 0)) with the +1 correction, capped at 1.
 */
export function pairedBootstrap(a: readonly ConfusionMatrix[], b: readonly ConfusionMatrix[], opts: BootstrapOptions = {}): PairedComparison {
  const { resamples, seed, confidence } = { ...BOOTSTRAP_DEFAULTS, ...opts };
  if (a.length !== b.length || a.length === 0) throw new RangeError('paired bootstrap: both models need the same, non-empty list of images');
  const n = a[0].n;
  const est = meanIgnoringNaN(classIous(sumConfusions(a, n))) - meanIgnoringNaN(classIous(sumConfusions(b, n)));
  const accA = { n, counts: new Float64Array(n * n) };
  const accB = { n, counts: new Float64Array(n * n) };
  const diffs: number[] = [];
  let le = 0;
  let ge = 0;
  for (const idx of resampleIndices(a.length, resamples, seed)) {
    accA.counts.fill(0);
    accB.counts.fill(0);
    for (const i of idx) {
      addInto(accA.counts, a[i].counts);
      addInto(accB.counts, b[i].counts);
    }
    const d = meanIgnoringNaN(classIous(accA)) - meanIgnoringNaN(classIous(accB));
    diffs.push(d);
    if (d <= 0) le++;
    if (d >= 0) ge++;
  }
  const p = Math.min(1, (2 * (Math.min(le, ge) + 1)) / (resamples + 1));
  return { difference: { estimate: est, ...percentiles(diffs, 1 - confidence) }, pValue: p, images: a.length, resamples };
}

export function resampleIndices(n: number, resamples: number, seed: number): Uint32Array[] {
  const rand = rng(seed);
  return Array.from({ length: resamples }, () => {
    const idx = new Uint32Array(n);
    for (let i = 0; i < n; i++) idx[i] = Math.floor(rand() * n);
    return idx;
  });
}

export function addInto(into: Float64Array, from: Float64Array): void {
  for (let i = 0; i < into.length; i++) into[i] += from[i];
}

/** Linear-interpolated percentiles (type 7); NaN when there are no samples. */
export function percentiles(samples: number[], alpha: number): { low: number; high: number } {
  if (samples.length === 0) return { low: Number.NaN, high: Number.NaN };
  const s = [...samples].sort((x, y) => x - y);
  const q = (p: number) => {
    const h = (s.length - 1) * p;
    const lo = Math.floor(h);
    return s[lo] + (s[Math.min(lo + 1, s.length - 1)] - s[lo]) * (h - lo);
  };
  return { low: q(alpha / 2), high: q(1 - alpha / 2) };
}

/**
 * Consecutive frames of one drive are near-duplicates, so resampling single frames
 * treats correlated samples as independent and gives intervals that are too narrow.
 * Grouping frames (in time order) into blocks and resampling blocks (a moving-block
 * style bootstrap) keeps that correlation inside each unit.
 */
export function groupIntoBlocks(perImage: readonly ConfusionMatrix[], blockSize: number): ConfusionMatrix[] {
  if (blockSize <= 1) return [...perImage];
  const out: ConfusionMatrix[] = [];
  for (let i = 0; i < perImage.length; i += blockSize) out.push(sumConfusions(perImage.slice(i, i + blockSize), perImage[0].n));
  return out;
}

/** Frames per resampling unit: 8 consecutive frames (~1 s of a drive) for drives, 1 for held-out sets of independent frames. */
export function bootstrapBlockSize(datasetKind: string): number {
  return datasetKind === 'drive' ? 8 : 1;
}

import { addInto, BOOTSTRAP_DEFAULTS, percentiles, resampleIndices, type BootstrapOptions } from '../metrics/bootstrap.ts';
import { classIous, meanIgnoringNaN } from '../metrics/class-metrics.ts';
import { sumConfusions, type ConfusionMatrix } from '../metrics/confusion-matrix.ts';
import type { Corruption } from '../schemas/robustness.ts';

export interface RobustnessVariant {
  corruption: Corruption;
  severity: number;
  /** One confusion matrix per resampling unit, in the same unit order as `clean`. */
  units: readonly ConfusionMatrix[];
}

export interface IntervalValue {
  estimate: number;
  low: number;
  high: number;
}

export interface RobustnessMetrics {
  clean: { miou: IntervalValue; perClass: IntervalValue[] };
  variants: { corruption: Corruption; severity: number; miou: IntervalValue; perClass: IntervalValue[] }[];
  mpc: IntervalValue;
  rpc: IntervalValue;
  perClass: { classId: number; mpc: IntervalValue; rpc: IntervalValue }[];
  resamples: number;
  seed: number;
  confidence: number;
}

/**
 * Robustness under corruption from per-unit confusion matrices (units = images, or blocks of
 * consecutive frames), all dataset-level like every IoU here:
 * - mIoU per corruption × severity (confusions summed over the units);
 * - mPC, the mean of those mIoUs over every corruption and severity (Hendrycks & Dietterich's
 *   mean performance under corruption), and rPC = mPC / clean mIoU (its relative form);
 * - per class the same: mPC_k = mean over variants of IoU_k (variants where class k is
 *   undefined left out), rPC_k = mPC_k / clean IoU_k.
 * Intervals are percentile bootstraps that draw the SAME units for the clean frames and every
 * variant in each resample (the draws of `bootstrapMiou`, same seed), so mPC and rPC get
 * intervals that carry the per-frame difficulty shared by all of them.
 */
export function computeRobustness(clean: readonly ConfusionMatrix[], variants: readonly RobustnessVariant[], opts: BootstrapOptions = {}): RobustnessMetrics {
  const { resamples, seed, confidence } = { ...BOOTSTRAP_DEFAULTS, ...opts };
  if (clean.length === 0) throw new RangeError('robustness: no images');
  if (variants.length === 0) throw new RangeError('robustness: no corruption applied');
  for (const v of variants) {
    if (v.units.length !== clean.length)
      throw new RangeError(`robustness: ${v.corruption} severity ${v.severity} has ${v.units.length} units, the clean frames ${clean.length}`);
  }
  const n = clean[0].n;
  const alpha = 1 - confidence;

  // Point estimates from the summed matrices.
  const cleanIou = classIous(sumConfusions(clean, n));
  const variantIou = variants.map((v) => classIous(sumConfusions(v.units, n)));
  const est = summarize(cleanIou, variantIou, n);

  // Samples of every statistic, one per resample (NaN samples are left out, as bootstrapMiou does).
  const samples = {
    clean: [] as number[],
    cleanClass: Array.from({ length: n }, () => [] as number[]),
    variant: variants.map(() => [] as number[]),
    variantClass: variants.map(() => Array.from({ length: n }, () => [] as number[])),
    mpc: [] as number[],
    rpc: [] as number[],
    mpcClass: Array.from({ length: n }, () => [] as number[]),
    rpcClass: Array.from({ length: n }, () => [] as number[]),
  };
  const push = (into: number[], v: number) => Number.isFinite(v) && into.push(v);
  const acc = { n, counts: new Float64Array(n * n) };
  for (const idx of resampleIndices(clean.length, resamples, seed)) {
    const iouOf = (units: readonly ConfusionMatrix[]) => {
      acc.counts.fill(0);
      for (const i of idx) addInto(acc.counts, units[i].counts);
      return classIous(acc);
    };
    const c = iouOf(clean);
    const vs = variants.map((v) => iouOf(v.units));
    const s = summarize(c, vs, n);
    push(samples.clean, s.cleanMiou);
    vs.forEach((iou, j) => {
      push(samples.variant[j], s.variantMiou[j]);
      for (let k = 0; k < n; k++) push(samples.variantClass[j][k], iou[k]);
    });
    for (let k = 0; k < n; k++) {
      push(samples.cleanClass[k], c[k]);
      push(samples.mpcClass[k], s.mpcClass[k]);
      push(samples.rpcClass[k], s.rpcClass[k]);
    }
    push(samples.mpc, s.mpc);
    push(samples.rpc, s.rpc);
  }
  const interval = (estimate: number, xs: number[]): IntervalValue => ({ estimate, ...percentiles(xs, alpha) });
  return {
    clean: { miou: interval(est.cleanMiou, samples.clean), perClass: Array.from(cleanIou, (e, k) => interval(e, samples.cleanClass[k])) },
    variants: variants.map((v, j) => ({
      corruption: v.corruption,
      severity: v.severity,
      miou: interval(est.variantMiou[j], samples.variant[j]),
      perClass: Array.from(variantIou[j], (e, k) => interval(e, samples.variantClass[j][k])),
    })),
    mpc: interval(est.mpc, samples.mpc),
    rpc: interval(est.rpc, samples.rpc),
    perClass: Array.from({ length: n }, (_, k) => ({
      classId: k,
      mpc: interval(est.mpcClass[k], samples.mpcClass[k]),
      rpc: interval(est.rpcClass[k], samples.rpcClass[k]),
    })),
    resamples,
    seed,
    confidence,
  };
}

function summarize(cleanIou: Float64Array, variantIou: readonly Float64Array[], n: number) {
  const cleanMiou = meanIgnoringNaN(cleanIou);
  const variantMiou = variantIou.map((iou) => meanIgnoringNaN(iou));
  const mpc = meanIgnoringNaN(variantMiou);
  const mpcClass = Array.from({ length: n }, (_, k) => meanIgnoringNaN(variantIou.map((iou) => iou[k])));
  return {
    cleanMiou,
    variantMiou,
    mpc,
    rpc: ratio(mpc, cleanMiou),
    mpcClass,
    rpcClass: mpcClass.map((m, k) => ratio(m, cleanIou[k])),
  };
}

/** a / b, undefined (NaN) when the clean value is undefined or zero: nothing to be relative to. */
function ratio(a: number, b: number): number {
  return Number.isFinite(a) && Number.isFinite(b) && b > 0 ? a / b : Number.NaN;
}

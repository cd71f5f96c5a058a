import { BOOTSTRAP_DEFAULTS, percentiles, resampleIndices, type BootstrapOptions } from './bootstrap.ts';

export interface StatisticInterval {
  estimate: number;
  low: number;
  high: number;
}

/**
 * Percentile bootstrap for any statistic of SUMMABLE per-unit counts (a per-image histogram,
 * a weighted confusion matrix, per-pair flicker counts): each resample draws the units with
 * replacement (the same seeded draws as `bootstrapMiou`, so intervals of one run line up),
 * sums their vectors and recomputes every statistic. A NaN statistic in a resample (its
 * denominator empty there) is left out of that statistic's distribution, as in bootstrapMiou.
 */
export function bootstrapAdditive(
  units: readonly Float64Array[],
  statistic: (sum: Float64Array) => readonly number[],
  opts: BootstrapOptions = {},
): StatisticInterval[] {
  const { resamples, seed, confidence } = { ...BOOTSTRAP_DEFAULTS, ...opts };
  if (units.length === 0) throw new RangeError('bootstrap: no units');
  const len = units[0].length;
  const estimate = statistic(sumVectors(units, len));
  const samples: number[][] = estimate.map(() => []);
  const acc = new Float64Array(len);
  for (const idx of resampleIndices(units.length, resamples, seed)) {
    acc.fill(0);
    for (const i of idx) {
      const u = units[i];
      for (let k = 0; k < len; k++) acc[k] += u[k];
    }
    statistic(acc).forEach((v, j) => {
      if (!Number.isNaN(v)) samples[j].push(v);
    });
  }
  return estimate.map((e, j) => ({ estimate: e, ...percentiles(samples[j], 1 - confidence) }));
}

export function sumVectors(units: readonly Float64Array[], len = units[0]?.length ?? 0): Float64Array {
  const out = new Float64Array(len);
  for (const u of units) {
    if (u.length !== len) throw new RangeError(`sumVectors: length ${u.length}, expected ${len}`);
    for (let k = 0; k < len; k++) out[k] += u[k];
  }
  return out;
}

/** Consecutive units summed in blocks (the drive's resampling unit, see groupIntoBlocks). */
export function sumInBlocks(units: readonly Float64Array[], blockSize: number): Float64Array[] {
  if (blockSize <= 1) return [...units];
  const out: Float64Array[] = [];
  for (let i = 0; i < units.length; i += blockSize) out.push(sumVectors(units.slice(i, i + blockSize)));
  return out;
}

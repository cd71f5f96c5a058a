import { describe, expect, it } from 'vitest';
import { bootstrapAdditive, sumInBlocks } from './additive-bootstrap.ts';

const ratio = (s: Float64Array) => [s[1] ? s[0] / s[1] : Number.NaN];

describe('bootstrapAdditive', () => {
  it('estimates the statistic of the sum and has zero width when every unit is alike', () => {
    const units = Array.from({ length: 10 }, () => Float64Array.of(1, 4));
    const [r] = bootstrapAdditive(units, ratio);
    expect(r).toEqual({ estimate: 0.25, low: 0.25, high: 0.25 });
  });

  it('brackets the estimate when units differ, and is reproducible', () => {
    const units = Array.from({ length: 40 }, (_, i) => Float64Array.of(i % 4, 4));
    const a = bootstrapAdditive(units, ratio)[0];
    expect(a.estimate).toBeCloseTo(1.5 / 4, 12);
    expect(a.low).toBeLessThan(a.estimate);
    expect(a.high).toBeGreaterThan(a.estimate);
    expect(bootstrapAdditive(units, ratio)[0]).toEqual(a);
  });
});

describe('sumInBlocks', () => {
  it('sums consecutive units, the last block short', () => {
    expect(
      sumInBlocks(
        [1, 2, 3].map((v) => Float64Array.of(v)),
        2,
      ).map((u) => Array.from(u)),
    ).toEqual([[3], [3]]);
  });
});

import { describe, expect, it } from 'vitest';
import { spreadOf } from './spread.ts';

describe('spreadOf', () => {
  it('returns mean, sample sd and range worked out by hand', () => {
    // mean 5; squared deviations 9 + 1 + 1 + 9 = 20; sd = sqrt(20 / 3)
    const s = spreadOf([2, 4, 6, 8])!;
    expect(s.n).toBe(4);
    expect(s.mean).toBe(5);
    expect(s.sd).toBeCloseTo(Math.sqrt(20 / 3), 12);
    expect([s.min, s.max]).toEqual([2, 8]);
  });

  it('returns no sd for one value and null for none', () => {
    expect(spreadOf([0.5])).toEqual({ n: 1, mean: 0.5, sd: null, min: 0.5, max: 0.5 });
    expect(spreadOf([])).toBeNull();
  });

  it('agrees with the two-pass variance identity Σx²/(n−1) − n·mean²/(n−1)', () => {
    const xs = [0.4506, 0.4306, 0.4742, 0.4636];
    const n = xs.length;
    const mean = xs.reduce((a, b) => a + b) / n;
    const variance = xs.reduce((a, x) => a + x * x, 0) / (n - 1) - (n * mean * mean) / (n - 1);
    expect(spreadOf(xs)!.sd).toBeCloseTo(Math.sqrt(variance), 10);
  });
});

import { describe, expect, it } from 'vitest';
import { bootstrapMiou } from '../metrics/bootstrap.ts';
import { confusionFromRows } from '../metrics/confusion-matrix.ts';
import { computeRobustness } from './robustness-metrics.ts';

const m = (rows: number[][]) => confusionFromRows(rows);
// Two images, two classes. Clean sum [[5,1],[1,5]]: IoU 5/7 for both classes.
const CLEAN = [
  m([
    [3, 1],
    [0, 4],
  ]),
  m([
    [2, 0],
    [1, 1],
  ]),
];
// fog 1 sums to [[4,2],[1,5]]: IoU 4/7 and 5/8. fog 2 sums to [[0,6],[0,6]]: IoU 0 and 1/2.
const FOG1 = [
  m([
    [2, 2],
    [0, 4],
  ]),
  m([
    [2, 0],
    [1, 1],
  ]),
];
const FOG2 = [
  m([
    [0, 4],
    [0, 4],
  ]),
  m([
    [0, 2],
    [0, 2],
  ]),
];

describe('computeRobustness', () => {
  const r = computeRobustness(
    CLEAN,
    [
      { corruption: 'fog', severity: 1, units: FOG1 },
      { corruption: 'fog', severity: 2, units: FOG2 },
    ],
    { resamples: 200 },
  );

  it('returns hand-worked mIoU per variant, mPC and rPC', () => {
    expect(r.clean.miou.estimate).toBeCloseTo(5 / 7, 12);
    expect(r.variants.map((v) => v.miou.estimate)).toEqual([expect.closeTo(67 / 112, 12), expect.closeTo(0.25, 12)]);
    // mPC = (67/112 + 1/4) / 2 = 95/224; rPC = mPC / (5/7) = 19/32.
    expect(r.mpc.estimate).toBeCloseTo(95 / 224, 12);
    expect(r.rpc.estimate).toBeCloseTo(19 / 32, 12);
  });

  it('returns hand-worked per-class mPC and rPC', () => {
    // Class 0: (4/7 + 0)/2 = 2/7, / (5/7) = 0.4. Class 1: (5/8 + 1/2)/2 = 9/16, / (5/7) = 63/80.
    expect(r.perClass[0].mpc.estimate).toBeCloseTo(2 / 7, 12);
    expect(r.perClass[0].rpc.estimate).toBeCloseTo(0.4, 12);
    expect(r.perClass[1].mpc.estimate).toBeCloseTo(9 / 16, 12);
    expect(r.perClass[1].rpc.estimate).toBeCloseTo(63 / 80, 12);
  });

  it('gives each variant the interval bootstrapMiou gives it alone (same draws)', () => {
    for (const [j, units] of [FOG1, FOG2].entries()) {
      const alone = bootstrapMiou(units, { resamples: 200 });
      expect(r.variants[j].miou.low).toBeCloseTo(alone.miou.low, 12);
      expect(r.variants[j].miou.high).toBeCloseTo(alone.miou.high, 12);
      expect(r.variants[j].perClass.map((c) => c.low)).toEqual(alone.perClass.map((c) => expect.closeTo(c.low, 12)));
    }
    const clean = bootstrapMiou(CLEAN, { resamples: 200 });
    expect([r.clean.miou.low, r.clean.miou.high]).toEqual([expect.closeTo(clean.miou.low, 12), expect.closeTo(clean.miou.high, 12)]);
  });

  it('puts every estimate inside its interval', () => {
    for (const iv of [r.mpc, r.rpc, ...r.variants.map((v) => v.miou), ...r.perClass.flatMap((c) => [c.mpc, c.rpc])]) {
      expect(iv.low).toBeLessThanOrEqual(iv.estimate + 1e-12);
      expect(iv.high).toBeGreaterThanOrEqual(iv.estimate - 1e-12);
    }
  });

  it('returns rPC exactly 1 in every resample when the corruption changes nothing', () => {
    const same = computeRobustness(CLEAN, [{ corruption: 'jpeg', severity: 1, units: CLEAN }], { resamples: 100 });
    expect([same.rpc.estimate, same.rpc.low, same.rpc.high]).toEqual([1, 1, 1]);
  });

  it('leaves a class out of rPC where its clean IoU is zero or undefined', () => {
    // Class 1 never appears in truth nor prediction: its IoU is undefined clean and corrupted.
    const only0 = [
      m([
        [4, 0],
        [0, 0],
      ]),
    ];
    const res = computeRobustness(
      only0,
      [
        {
          corruption: 'contrast',
          severity: 1,
          units: [
            m([
              [3, 0],
              [0, 0],
            ]),
          ],
        },
      ],
      { resamples: 20 },
    );
    expect(res.perClass[1].rpc.estimate).toBeNaN();
    expect(res.perClass[0].rpc.estimate).toBe(1);
  });

  it('refuses variants with another number of units than the clean frames', () => {
    expect(() => computeRobustness(CLEAN, [{ corruption: 'fog', severity: 1, units: [FOG1[0]] }])).toThrow(/fog severity 1 has 1 units, the clean frames 2/);
    expect(() => computeRobustness(CLEAN, [])).toThrow(/no corruption/);
  });
});

import { describe, expect, it } from 'vitest';
import { computeMetrics } from './class-metrics.ts';
import { confusionOf } from './confusion-matrix.ts';
import { abstentionCurve, confidenceSteps } from './abstention.ts';

// Six evaluated pixels and one ignored (truth 255):
//   pixel  truth pred conf
//     0      0    0   0.90   right
//     1      0    1   0.20   wrong
//     2      1    1   0.80   right
//     3      1    1   0.45   right
//     4      2    0   0.30   wrong
//     5      2    2   0.65   right
//     6    255    2   0.05   ignored
const gt = [0, 0, 1, 1, 2, 2, 255];
const pred = [0, 1, 1, 1, 0, 2, 2];
const conf = [0.9, 0.2, 0.8, 0.45, 0.3, 0.65, 0.05];

describe('abstentionCurve', () => {
  it('keeps every evaluated pixel at threshold 0 and reproduces the plain mIoU and pixel accuracy', () => {
    const [zero] = abstentionCurve(gt, pred, conf);
    const plain = computeMetrics(confusionOf(gt, pred));
    expect(zero.threshold).toBe(0);
    expect(zero.abstained).toBe(0);
    expect(zero.pixelAccuracy).toBeCloseTo(plain.pixelAccuracy, 12);
    expect(zero.miou).toBeCloseTo(plain.miou, 12);
    // By hand: 4 of 6 right; IoU 0 = 1/3 (TP 0, FP 4, FN 1), 1 = 2/3 (TP 2,3, FP 1), 2 = 1/2 (TP 5, FN 4).
    expect(zero.pixelAccuracy).toBeCloseTo(4 / 6, 12);
    expect(zero.miou).toBeCloseTo((1 / 3 + 2 / 3 + 1 / 2) / 3, 12);
  });

  it('abstains on the pixels below the threshold and scores the kept ones only', () => {
    const curve = abstentionCurve(gt, pred, conf);
    expect(curve).toHaveLength(100);
    // At 0.5, pixels 1 (0.20), 3 (0.45) and 4 (0.30) are abstained: 3 of 6.
    const half = curve[50];
    expect(half.threshold).toBeCloseTo(0.5, 12);
    expect(half.abstained).toBeCloseTo(0.5, 12);
    // Kept 0, 2, 5 are all right: every kept class has IoU 1.
    expect(half.pixelAccuracy).toBe(1);
    expect(half.miou).toBe(1);
    // At 0.25 only pixel 1 goes: kept 0 (0→0), 2, 3 (1→1), 4 (2→0), 5 (2→2): accuracy 4/5,
    // IoU 0 = 1/2 (TP 0, FP 4), 1 = 1, 2 = 1/2 (TP 5, FN 4).
    expect(curve[25].abstained).toBeCloseTo(1 / 6, 12);
    expect(curve[25].pixelAccuracy).toBeCloseTo(4 / 5, 12);
    expect(curve[25].miou).toBeCloseTo(2 / 3, 12);
    // Above the most confident pixel nothing is kept: no score, not a zero.
    expect(curve[95].abstained).toBe(1);
    expect(curve[95].miou).toBeNaN();
  });

  it('never abstains less as the threshold rises', () => {
    const curve = abstentionCurve(gt, pred, conf);
    for (let k = 1; k < curve.length; k++) expect(curve[k].abstained).toBeGreaterThanOrEqual(curve[k - 1].abstained);
  });
});

describe('confidenceSteps', () => {
  it('gives each pixel the step the curve counts it in, and keeps ignored pixels ignored', () => {
    const steps = confidenceSteps(gt, conf);
    expect([...steps]).toEqual([90, 20, 80, 45, 30, 65, 255]);
    // The share of evaluated pixels whose step is below 50 is the curve's abstained share at 0.5.
    const evaluated = [...steps].filter((s) => s !== 255);
    expect(evaluated.filter((s) => s < 50).length / evaluated.length).toBeCloseTo(abstentionCurve(gt, pred, conf)[50].abstained, 12);
  });

  it('refuses a confidence map of another size', () => {
    expect(() => confidenceSteps(gt, conf.slice(1))).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { accumulateCalibration, calibrationErrors, calibrationStatsLength, confidenceOfLabels, coverageCurve, reliabilityBins } from './calibration.ts';

// Five counted pixels and one ignored. Bins are 1/15 wide:
//   0.95 → bin 14: pixel 0 right (0→0), pixel 1 wrong (0→1): accuracy 0.5, confidence 0.95
//   0.61, 0.63 → bin 9: both right (1→1): accuracy 1, confidence 0.62
//   0.30 → bin 4: right (0→0): accuracy 1, confidence 0.30
// ECE = 2/5·0.45 + 2/5·0.38 + 1/5·0.70 = 0.18 + 0.152 + 0.14 = 0.472
const gt = [0, 0, 1, 1, 0, 255];
const pred = [0, 1, 1, 1, 0, 1];
const conf = [0.95, 0.95, 0.61, 0.63, 0.3, 0.99];
const stats = () => accumulateCalibration(gt, pred, conf, new Float64Array(calibrationStatsLength()));

describe('calibrationErrors', () => {
  it('returns the hand-worked ECE overall and per predicted class', () => {
    const [overall, class0, class1, class2] = calibrationErrors(stats());
    expect(overall).toBeCloseTo(0.472, 12);
    // Predicted 0: pixel 0 (bin 14, right, gap 0.05) and pixel 4 (bin 4, right, gap 0.7): (0.05 + 0.7) / 2
    expect(class0).toBeCloseTo(0.375, 12);
    // Predicted 1: pixel 1 (bin 14, wrong, gap 0.95) and pixels 2–3 (bin 9, gap 0.38): 0.95/3 + 2·0.38/3
    expect(class1).toBeCloseTo(0.57, 12);
    expect(class2).toBeNaN();
  });

  it('is 0 for a perfectly calibrated histogram', () => {
    // Bin 7 (confidence 0.5): one right, one wrong.
    const s = accumulateCalibration([0, 0], [0, 1], [0.5, 0.5], new Float64Array(calibrationStatsLength()));
    expect(calibrationErrors(s)[0]).toBeCloseTo(0, 12);
  });
});

describe('reliabilityBins', () => {
  it('gives each bin its pixels, mean confidence and accuracy', () => {
    const bins = reliabilityBins(stats());
    expect(bins).toHaveLength(15);
    expect(bins[14]).toMatchObject({ pixels: 2, accuracy: 0.5 });
    expect(bins[14].confidence).toBeCloseTo(0.95, 12);
    expect(bins[9].confidence).toBeCloseTo(0.62, 12);
    expect(bins[0].pixels).toBe(0);
    expect(bins.reduce((s, b) => s + b.pixels, 0)).toBe(5);
  });
});

describe('accumulateCalibration', () => {
  it('refuses a class id outside the classes', () => {
    expect(() => accumulateCalibration([13], [0], [0.5], new Float64Array(calibrationStatsLength()))).toThrow(/outside 0..12/);
  });
});

describe('coverageCurve', () => {
  it('keeps the pixels at or above each threshold and scores only them', () => {
    const curve = coverageCurve(stats());
    expect(curve[0]).toMatchObject({ threshold: 0, coverage: 1 });
    // At 14/15 only pixels 0 (0→0) and 1 (0→1) remain: IoU(0) = 1/2, IoU(1) = 0, mIoU 0.25.
    expect(curve[14].threshold).toBeCloseTo(14 / 15, 12);
    expect(curve[14].coverage).toBeCloseTo(0.4, 12);
    expect(curve[14].miou).toBeCloseTo(0.25, 12);
    // At 0.6 (bin 9) pixels 0–3 remain: IoU(0) = 1/2, IoU(1) = 2/3.
    expect(curve[9].coverage).toBeCloseTo(0.8, 12);
    expect(curve[9].miou).toBeCloseTo((0.5 + 2 / 3) / 2, 12);
  });
});

describe('confidenceOfLabels', () => {
  it('reads the emitted class, resized bilinearly with half-pixel centres', () => {
    // Two classes on a 2×1 grid: class 1 has probability 0 then 1. Resized to 4×1,
    // source x = (x + 0.5)/2 − 0.5 = −0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped to 1).
    const probs = new Float32Array([1, 0, 0, 1]);
    expect(Array.from(confidenceOfLabels(probs, 2, 1, 2, new Uint8Array([1, 1, 1, 1]), 4, 1))).toEqual([0, 0.25, 0.75, 1]);
    expect(Array.from(confidenceOfLabels(probs, 2, 1, 2, new Uint8Array([0, 0, 0, 0]), 4, 1))).toEqual([1, 0.75, 0.25, 0]);
  });

  it('returns the probabilities themselves at the same size', () => {
    const probs = new Float32Array([0.2, 0.7, 0.8, 0.3]);
    expect(Array.from(confidenceOfLabels(probs, 2, 1, 2, new Uint8Array([1, 0]), 2, 1))).toEqual([0.800000011920929, 0.699999988079071]);
  });
});

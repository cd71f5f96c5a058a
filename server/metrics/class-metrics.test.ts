import { describe, expect, it } from 'vitest';
import { rng } from '../random.ts';
import { classIous, computeMetrics } from './class-metrics.ts';
import { confusionOf } from './confusion-matrix.ts';

describe('computeMetrics', () => {
  it('returns 1.0 for a map against itself', () => {
    const map = [0, 1, 2, 3, 7, 7, 7, 9, 12, 10];
    const m = computeMetrics(confusionOf(map, map));
    expect(m.miou).toBe(1);
    expect(m.pixelAccuracy).toBe(1);
  });

  it('matches a hand-worked 3-class example', () => {
    // truth  0 0 0 1 1 2 ; pred 0 0 1 1 2 2
    // class 0: TP 2, FP 0, FN 1 → 2/3 ; class 1: TP 1, FP 1, FN 1 → 1/3 ; class 2: TP 1, FP 1, FN 0 → 1/2
    const m = computeMetrics(confusionOf([0, 0, 0, 1, 1, 2], [0, 0, 1, 1, 2, 2], 3));
    expect(m.perClass[0].iou).toBeCloseTo(2 / 3, 12);
    expect(m.perClass[1].iou).toBeCloseTo(1 / 3, 12);
    expect(m.perClass[2].iou).toBeCloseTo(1 / 2, 12);
    expect(m.miou).toBeCloseTo((2 / 3 + 1 / 3 + 1 / 2) / 3, 12);
    expect(m.pixelAccuracy).toBeCloseTo(4 / 6, 12);
    expect(m.perClass[0].precision).toBe(1);
    expect(m.perClass[0].recall).toBeCloseTo(2 / 3, 12);
    expect(m.perClass[1].dice).toBeCloseTo(2 / 4, 12);
    expect(m.perClass[0].support).toBe(3);
    // frequency-weighted: 3/6·2/3 + 2/6·1/3 + 1/6·1/2
    expect(m.fwIou).toBeCloseTo(0.5 * (2 / 3) + (1 / 3) * (1 / 3) + (1 / 6) * 0.5, 12);
  });

  it('gives NaN to a class absent from truth and prediction, and leaves it out of the mean', () => {
    const m = computeMetrics(confusionOf([0, 1], [0, 1], 13));
    expect(Number.isNaN(m.perClass[5].iou)).toBe(true);
    expect(m.classesCounted).toBe(2);
    expect(m.miou).toBe(1);
  });

  it('gives IoU 0 to a class that is only predicted', () => {
    const m = computeMetrics(confusionOf([0, 0], [0, 4], 13));
    expect(m.perClass[4].iou).toBe(0);
    expect(m.miou).toBeCloseTo((0.5 + 0) / 2, 12);
  });

  it("passes the seed's constant-prediction check: predicting Road everywhere scores Road's share, all else 0", () => {
    const truth = [7, 7, 7, 1, 9, 0, 7, 8];
    const m = computeMetrics(
      confusionOf(
        truth,
        truth.map(() => 7),
      ),
    );
    expect(m.perClass[7].iou).toBeCloseTo(4 / 8, 12);
    for (const k of [0, 1, 8, 9]) expect(m.perClass[k].iou).toBe(0);
    expect(m.miou).toBeCloseTo(0.5 / 5, 12);
    expect(m.pixelAccuracy).toBeCloseTo(0.5, 12);
  });

  it('agrees with a brute-force per-class set computation on random maps', () => {
    const rand = rng(7);
    for (let trial = 0; trial < 20; trial++) {
      const n = 500;
      const gt = Array.from({ length: n }, () => (rand() < 0.05 ? 255 : Math.floor(rand() * 13)));
      const pred = Array.from({ length: n }, () => Math.floor(rand() * 13));
      const fast = computeMetrics(confusionOf(gt, pred));
      for (let k = 0; k < 13; k++) {
        let inter = 0;
        let union = 0;
        for (let i = 0; i < n; i++) {
          if (gt[i] === 255) continue;
          const a = gt[i] === k;
          const b = pred[i] === k;
          if (a && b) inter++;
          if (a || b) union++;
        }
        const brute = union === 0 ? Number.NaN : inter / union;
        if (Number.isNaN(brute)) expect(Number.isNaN(fast.perClass[k].iou)).toBe(true);
        else expect(fast.perClass[k].iou).toBeCloseTo(brute, 12);
      }
    }
  });

  it('is computed from the summed matrix, not as a mean of per-image IoUs', () => {
    const a = confusionOf([1, 1, 1, 1], [1, 1, 1, 1], 2); // class 1 perfect, class 0 absent
    const b = confusionOf([0, 1], [1, 1], 2); // class 0 missed
    const summed = computeMetrics({ n: 2, counts: a.counts.map((v, i) => v + b.counts[i]) });
    const meanOfImages = (computeMetrics(a).miou + computeMetrics(b).miou) / 2;
    expect(summed.miou).toBeCloseTo((0 + 5 / 6) / 2, 12);
    expect(summed.miou).not.toBeCloseTo(meanOfImages, 3);
  });
});

describe('classIous', () => {
  it('equals computeMetrics per-class IoU', () => {
    const cm = confusionOf([0, 1, 2, 2, 3], [0, 2, 2, 2, 1], 13);
    const fast = classIous(cm);
    computeMetrics(cm).perClass.forEach((c, k) => (Number.isNaN(c.iou) ? expect(Number.isNaN(fast[k])).toBe(true) : expect(fast[k]).toBe(c.iou)));
  });
});

import { describe, expect, it } from 'vitest';
import { flickerPixels, worstFlickerSegments, type ChainedPair } from './flicker-segments.ts';
import { temporalPairCounts } from './temporal-stability.ts';

const ROAD = 7;
const CAR = 10;
const OTHER = 3;

/** Counts of a pair with `stable` stable pixels of one class, `flicker` of them flickering, and no truth change. */
function pair(a: string, b: string, k: number, stable: number, flicker: number): ChainedPair {
  const counts = new Float64Array(4 * 13);
  counts[k] = stable;
  counts[13 + k] = flicker;
  counts[26 + k] = stable;
  return { imageIdA: a, imageIdB: b, counts };
}

describe('worstFlickerSegments', () => {
  // Frames f0…f5 in one run, then g0–g1 after a gap. Flicker (of 100 road pixels): f0f1 1, f1f2 2,
  // f2f3 30, f3f4 40, f4f5 1, g0g1 50.
  const pairs = [
    pair('f0', 'f1', ROAD, 100, 1),
    pair('f1', 'f2', ROAD, 100, 2),
    pair('f2', 'f3', ROAD, 100, 30),
    pair('f3', 'f4', ROAD, 100, 40),
    pair('f4', 'f5', ROAD, 100, 1),
    pair('g0', 'g1', ROAD, 100, 50),
  ];

  it('ranks windows of consecutive pairs by their pooled flicker, never across a gap, never sharing a frame', () => {
    const worst = worstFlickerSegments(pairs, { length: 2, count: 3 });
    // Windows of 2 pairs in f: [0,2) 3/200, [1,3) 32/200, [2,4) 70/200, [3,5) 41/200; g's chain is
    // one pair, a window of its own: 50/100. Every other f window shares a frame with [2,4)
    // (frames f2–f4): [0,2) f2, [1,3) f2–f3, [3,5) f3–f4. So only two of the three asked for.
    expect(worst.map((w) => [w.start, w.end])).toEqual([
      [5, 6],
      [2, 4],
    ]);
    expect(worst.map((w) => w.flicker)).toEqual([0.5, 0.35]);
    expect(worstFlickerSegments(pairs.slice(0, 2), { length: 1, count: 2 }).map((w) => w.start)).toEqual([1]);
    expect(worst[0].gtChange).toBe(0);
  });

  it('scores one class by its own stable pixels and skips windows with too few of them', () => {
    const mixed = [pair('f0', 'f1', CAR, 10, 9), pair('f1', 'f2', CAR, 2000, 100), pair('f2', 'f3', CAR, 2000, 300)];
    // Car alone: [0,1) 9/10 is worst but has 10 stable pixels, under the 1000 asked for.
    expect(worstFlickerSegments(mixed, { length: 1, count: 1, classId: CAR, minStable: 1000 })).toMatchObject([{ start: 2, end: 3, flicker: 0.15 }]);
    expect(worstFlickerSegments(mixed, { length: 1, count: 1, classId: CAR })).toMatchObject([{ start: 0, end: 1, flicker: 0.9 }]);
    // No road pixel at all: no window.
    expect(worstFlickerSegments(mixed, { length: 1, count: 3, classId: ROAD })).toEqual([]);
  });

  it('refuses a bad class or length', () => {
    expect(() => worstFlickerSegments(pairs, { length: 0, count: 1 })).toThrow(RangeError);
    expect(() => worstFlickerSegments(pairs, { length: 2, count: 1, classId: 13 })).toThrow(RangeError);
  });
});

describe('flickerPixels', () => {
  // Truth: a car at x 2–3 over road in both frames; the model blinks x 5 (road) to Other and
  // x 3 (car) to road in frame B. Pixel 8 is ignored in frame B's truth.
  const gtA = [ROAD, ROAD, CAR, CAR, ROAD, ROAD, ROAD, ROAD, ROAD, ROAD];
  const gtB = [ROAD, ROAD, CAR, CAR, ROAD, ROAD, ROAD, ROAD, 255, ROAD];
  const predA = [...gtA];
  const predB = [ROAD, ROAD, CAR, ROAD, ROAD, OTHER, ROAD, ROAD, OTHER, ROAD];

  it('marks the pixels whose label changes where the truth stays, as many as the pair counts', () => {
    const px = flickerPixels(gtB, predB, [{ gt: gtA, pred: predA }]);
    expect([...px]).toEqual([0, 0, 0, 1, 0, 1, 0, 0, 0, 0]);
    const counts = temporalPairCounts(gtA, gtB, predA, predB);
    expect(px.reduce((s, v) => s + v, 0)).toBe(counts.slice(13, 26).reduce((s, v) => s + v, 0));
    // Per class: the car's one flickering pixel.
    expect([...flickerPixels(gtB, predB, [{ gt: gtA, pred: predA }], CAR)]).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(flickerPixels(gtB, predB, [{ gt: gtA, pred: predA }], CAR).reduce((s, v) => s + v, 0)).toBe(counts[13 + CAR]);
  });

  it('marks a middle frame against both neighbours', () => {
    const predC = [...gtA].map((v, x) => (x === 0 ? OTHER : v));
    // Frame B against A (x 3, 5) and against C (= A but x 0): x 0, 3, 5.
    expect([
      ...flickerPixels(gtB, predB, [
        { gt: gtA, pred: predA },
        { gt: gtA, pred: predC },
      ]),
    ]).toEqual([1, 0, 0, 1, 0, 1, 0, 0, 0, 0]);
  });

  it('refuses frames of different sizes', () => {
    expect(() => flickerPixels(gtA, predA, [{ gt: gtA.slice(1), pred: predA }])).toThrow(RangeError);
  });
});

import { describe, expect, it } from 'vitest';
import { costMatrixProblem, defaultCostMatrix, rowWeight, rowWeightedConfusion, safetyWeightedError } from './safety-weighted-error.ts';

const PED = 4;
const ROAD = 7;

describe('rowWeight', () => {
  it('is 0..2 from top to bottom with mean 1', () => {
    const h = 600;
    const ws = Array.from({ length: h }, (_, y) => rowWeight(y, h));
    expect(ws.reduce((a, b) => a + b, 0) / h).toBeCloseTo(1, 12);
    expect(ws[h - 1]).toBeGreaterThan(ws[0]);
  });
});

describe('safetyWeightedError', () => {
  // A 2×2 frame of pedestrian. Row weights for h = 2: 0.5 (top), 1.5 (bottom).
  it('costs a pedestrian read as road 10, weighted by how close the row is', () => {
    const gt = [PED, PED, PED, PED];
    const farMiss = rowWeightedConfusion(gt, [ROAD, ROAD, PED, PED], 2, 2);
    const nearMiss = rowWeightedConfusion(gt, [PED, PED, ROAD, ROAD], 2, 2);
    // far: W[ped][road] = 2·0.5, W[ped][ped] = 2·1.5 → 10·1/4; near: 10·3/4
    expect(safetyWeightedError(farMiss, defaultCostMatrix())).toBeCloseTo(2.5, 12);
    expect(safetyWeightedError(nearMiss, defaultCostMatrix())).toBeCloseTo(7.5, 12);
  });

  it('costs an ordinary mistake 1 and leaves ignored pixels out', () => {
    const w = rowWeightedConfusion([1, 255, 1, 1], [2, 0, 1, 1], 2, 2);
    // top-left 1→2 weighs 0.5 at cost 1; the bottom row weighs 3 at cost 0; top-right ignored.
    expect(safetyWeightedError(w, defaultCostMatrix())).toBeCloseTo(0.5 / 3.5, 12);
  });

  it('is NaN with nothing counted', () => {
    expect(safetyWeightedError(rowWeightedConfusion([255], [0], 1, 1), defaultCostMatrix())).toBeNaN();
  });
});

describe('defaultCostMatrix', () => {
  it('makes pedestrian/car/road line read as road or unlabeled the costliest mistakes', () => {
    const m = defaultCostMatrix();
    expect(m[PED][ROAD]).toBe(10);
    expect(m[10][0]).toBe(8);
    expect(m[6][ROAD]).toBe(4);
    expect(m[ROAD][PED]).toBe(1);
    expect(m.every((row, t) => row[t] === 0)).toBe(true);
    expect(costMatrixProblem(m)).toBeNull();
  });
});

describe('costMatrixProblem', () => {
  it.each([
    ['wrong row count', [[0]], /13 rows/],
    ['a short row', [...defaultCostMatrix().slice(0, 12), [0]], /row 12 needs 13/],
    ['a negative cost', defaultCostMatrix().map((r, t) => (t === 1 ? r.map((v, p) => (p === 2 ? -1 : v)) : r)), /\[1\]\[2\].*≥ 0/],
    ['a cost for a right answer', defaultCostMatrix().map((r, t) => (t === 3 ? r.map((v, p) => (p === 3 ? 1 : v)) : r)), /\[3\]\[3\].*cost 0/],
  ])('names %s', (_, m, why) => {
    expect(costMatrixProblem(m)).toMatch(why);
  });
});

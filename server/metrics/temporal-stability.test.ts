import { describe, expect, it } from 'vitest';
import { sumVectors } from './additive-bootstrap.ts';
import { consecutivePairs, temporalPairCounts, temporalRates } from './temporal-stability.ts';

const ROAD = 7;
const CAR = 10;
const OTHER = 3;

/** A 10-pixel row: a 2-pixel car moving one pixel right per frame over road. */
function movingCar(frames: number): number[][] {
  return Array.from({ length: frames }, (_, f) => Array.from({ length: 10 }, (_, x) => (x === f || x === f + 1 ? CAR : ROAD)));
}

describe('temporalRates', () => {
  it('recovers the known change rate of a synthetic drive and no flicker from a perfect model', () => {
    const gt = movingCar(8);
    const pairs = gt.slice(1).map((b, i) => temporalPairCounts(gt[i], b, gt[i], b));
    const [flicker, change, ...perClass] = temporalRates(sumVectors(pairs));
    // Per pair: the car's trailing pixel turns road and one road pixel turns car: 2 of 10 change.
    expect(change).toBeCloseTo(0.2, 12);
    // Car: 2 car pixels, 1 leaves → 0.5. Road: 8 road pixels, 1 becomes car → 1/8.
    expect(perClass[13 + CAR]).toBeCloseTo(0.5, 12);
    expect(perClass[13 + ROAD]).toBeCloseTo(1 / 8, 12);
    expect(flicker).toBe(0);
  });

  it('counts a label that blinks where the truth stays', () => {
    const gt = movingCar(8);
    // On odd frames the model reads road pixel 9 (never reached by the car) as Other.
    const pred = gt.map((row, f) => row.map((v, x) => (x === 9 && f % 2 === 1 ? OTHER : v)));
    const pairs = gt.slice(1).map((b, i) => temporalPairCounts(gt[i], b, pred[i], pred[i + 1]));
    const [flicker, , ...perClass] = temporalRates(sumVectors(pairs));
    // Every pair: 8 pixels keep their truth (1 car + 7 road), pixel 9 changes label: 1/8.
    expect(flicker).toBeCloseTo(1 / 8, 12);
    expect(perClass[ROAD]).toBeCloseTo(1 / 7, 12);
    expect(perClass[CAR]).toBe(0);
    expect(perClass[OTHER]).toBeNaN();
  });

  it('leaves out pixels ignored in either frame', () => {
    const c = temporalPairCounts([255, ROAD], [ROAD, 255], [0, 0], [1, 1]);
    expect(Array.from(c).every((v) => v === 0)).toBe(true);
  });
});

describe('consecutivePairs', () => {
  it('pairs frame numbers n and n+1 of one recording only', () => {
    const frames = [
      { key: '000_0022', subset: '' },
      { key: '000_0021', subset: '' },
      { key: '000_0024', subset: '' },
      { key: '000_0025', subset: 'b' },
      { key: 'no-number', subset: '' },
    ];
    expect(consecutivePairs(frames)).toEqual([[1, 0]]);
  });
});

import { describe, expect, it } from 'vitest';
import { IGNORE_INDEX } from '../../models/classes.ts';
import { rng } from '../random.ts';
import { applyIgnoreMask, computeHoodMask } from './hood-mask.ts';

describe('applyIgnoreMask', () => {
  it('sets exactly the masked pixels to the ignore index and leaves the input alone', () => {
    const rand = rng(5);
    const [width, height] = [61, 17];
    const data = new Uint8Array(width * height).map(() => Math.floor(rand() * 13));
    const mask = new Uint8Array(width * height).map((_, i) => (i % width > 40 || rand() < 0.1 ? 1 : 0));
    mask[0] = 1;
    mask[mask.length - 1] = 1;
    const before = data.slice();
    for (let round = 0; round < 2; round++) {
      const out = applyIgnoreMask({ width, height, data }, mask);
      for (let i = 0; i < data.length; i++) expect(out.data[i]).toBe(mask[i] ? IGNORE_INDEX : data[i]);
    }
    expect(Array.from(data)).toEqual(Array.from(before));
  });

  it('finds the hood of a drive: Car in at least 95% of the frames', () => {
    const frame = (car: number[]) => ({ width: 4, height: 1, data: Uint8Array.from([0, 1, 2, 3].map((i) => (car.includes(i) ? 10 : 7))) });
    const frames = [...Array.from({ length: 19 }, () => frame([2, 3])), frame([3])];
    expect(Array.from(computeHoodMask(frames))).toEqual([0, 0, 1, 1]);
  });
});

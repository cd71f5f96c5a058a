import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OFFICIAL_DIR } from '../../test/fixtures.ts';
import { decodeLabel } from '../dataset/decode.ts';
import { confusionOf } from './confusion-matrix.ts';
import { disagreementMap, totalCompared } from './disagreement.ts';

const map = (data: number[], width = data.length) => ({ width, height: data.length / width, data: Uint8Array.from(data) });

describe('disagreementMap', () => {
  it('sorts each pixel into both right / only A / only B / both wrong, ignored pixels out', () => {
    //            both  onlyA onlyB wrong ignored both
    const gt = map([1, 2, 3, 4, 255, 5]);
    const a = map([1, 2, 0, 0, 7, 5]);
    const b = map([1, 0, 3, 9, 7, 5]);
    const d = disagreementMap(gt, a, b);
    expect(d.counts).toEqual({ bothRight: 2, onlyA: 1, onlyB: 1, bothWrong: 1 });
    expect([...d.codes]).toEqual([1, 2, 3, 4, 0, 1]);
  });

  it('with a class, counts only pixels where the truth or either prediction is that class', () => {
    const gt = map([7, 7, 8, 8, 9]);
    const a = map([7, 8, 7, 8, 9]);
    const b = map([8, 7, 8, 9, 7]);
    // pixel 0: truth 7, A right, B wrong → only A; 1: only B; 2: A says 7 wrongly, B right → only B;
    // 3: no 7 anywhere → out; 4: B says 7 wrongly, A right → only A.
    expect(disagreementMap(gt, a, b, 7).counts).toEqual({ bothRight: 0, onlyA: 2, onlyB: 2, bothWrong: 0 });
  });

  it('refuses maps of different sizes and labels outside 0..12', () => {
    expect(() => disagreementMap(map([1, 2]), map([1]), map([1, 2]))).toThrow(/prediction A/);
    expect(() => disagreementMap(map([1]), map([1]), map([13]))).toThrow(/label 13/);
    expect(() => disagreementMap(map([1]), map([1]), map([1]), 13)).toThrow(/class 13/);
  });

  it('on a real frame: counts sum to the non-ignored pixels, agree with both confusion traces, and A-only / B-only swap with the runs', async () => {
    const file = path.join(OFFICIAL_DIR, 'CameraSeg', 'train_0.png');
    const gt = await decodeLabel(await readFile(file), file);
    // Ignore the bottom 80 rows (a hood-like band) so ignored pixels are present.
    const { width, height } = gt;
    gt.data.fill(255, (height - 80) * width);
    // A: the truth shifted 3 px right (boundary errors); B: road called sidewalk (a class error).
    const a = { width, height, data: new Uint8Array(gt.data.length) };
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) a.data[y * width + x] = gt.data[y * width + Math.max(0, x - 3)] % 255;
    const b = { width, height, data: gt.data.map((v) => (v === 7 ? 8 : v === 255 ? 0 : v)) };
    const ab = disagreementMap(gt, a, b);
    const nonIgnored = gt.data.filter((v) => v !== 255).length;
    expect(totalCompared(ab.counts)).toBe(nonIgnored);
    expect(ab.counts.onlyA).toBeGreaterThan(0);
    expect(ab.counts.onlyB).toBeGreaterThan(0);
    // Independent check: A is right on trace(confusion(gt, A)) pixels, B on trace(confusion(gt, B)).
    const trace = (pred: Uint8Array) => {
      const cm = confusionOf(gt.data, pred);
      let t = 0;
      for (let k = 0; k < cm.n; k++) t += cm.counts[k * cm.n + k];
      return t;
    };
    expect(ab.counts.bothRight + ab.counts.onlyA).toBe(trace(a.data));
    expect(ab.counts.bothRight + ab.counts.onlyB).toBe(trace(b.data));
    const ba = disagreementMap(gt, b, a);
    expect(ba.counts).toEqual({ bothRight: ab.counts.bothRight, onlyA: ab.counts.onlyB, onlyB: ab.counts.onlyA, bothWrong: ab.counts.bothWrong });
  });
});

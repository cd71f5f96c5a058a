import { describe, expect, it } from 'vitest';
import { rng } from '../random.ts';
import { accumulateConfusion, confusionFromRows, confusionOf, confusionToRows, emptyConfusion, sumConfusions } from './confusion-matrix.ts';

describe('confusionOf', () => {
  it('counts rows as truth and columns as prediction', () => {
    const cm = confusionOf([0, 0, 1, 2], [0, 1, 1, 1], 3);
    expect(confusionToRows(cm)).toEqual([
      [1, 1, 0],
      [0, 1, 0],
      [0, 1, 0],
    ]);
  });

  it('skips pixels whose truth is the ignore index, whatever was predicted', () => {
    const cm = confusionOf([255, 1, 255], [0, 1, 2], 3);
    expect(cm.counts.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('throws on a truth value outside 0..n-1 instead of dropping it', () => {
    expect(() => confusionOf([13], [0], 13)).toThrow(/ground-truth value 13/);
  });

  it('throws on a predicted value outside 0..n-1 (255 is not allowed in predictions)', () => {
    expect(() => confusionOf([0], [255], 13)).toThrow(/predicted value 255/);
  });

  it('throws when the maps differ in size', () => {
    expect(() => confusionOf([0, 1], [0], 3)).toThrow(/pixels/);
  });
});

describe('confusionOf on byte maps (the word-at-a-time path)', () => {
  /** Label-map-like bytes: runs of one class with random lengths, some ignore pixels. */
  function runs(rand: () => number, length: number, ignore: boolean): Uint8Array {
    const out = new Uint8Array(length);
    for (let i = 0; i < length;) {
      const v = ignore && rand() < 0.1 ? 255 : Math.floor(rand() * 13);
      const len = 1 + Math.floor(rand() * 40);
      out.fill(v, i, i + len);
      i += len;
    }
    return out;
  }

  it('equals the per-pixel count for any length and byte offset', () => {
    const rand = rng(11);
    for (const length of [0, 1, 3, 4, 5, 255, 1024, 4099]) {
      for (const offset of [0, 1, 2, 4]) {
        const gt = runs(rand, length + offset, true).subarray(offset);
        const pred = runs(rand, length + offset, false).subarray(offset);
        const slow = confusionOf(Array.from(gt), Array.from(pred));
        expect(Array.from(confusionOf(gt, pred).counts)).toEqual(Array.from(slow.counts));
      }
    }
  });

  it('still names the first bad pixel', () => {
    const gt = new Uint8Array(64).fill(3);
    const pred = new Uint8Array(64).fill(3);
    pred[37] = 13;
    expect(() => confusionOf(gt, pred)).toThrow(/predicted value 13 at pixel 37/);
    gt[50] = 200;
    pred[37] = 3;
    expect(() => confusionOf(gt, pred)).toThrow(/ground-truth value 200 at pixel 50/);
  });
});

describe('sumConfusions', () => {
  it('equals one matrix over the concatenated pixels', () => {
    const a = confusionOf([0, 1, 2], [0, 2, 2], 3);
    const b = confusionOf([2, 2, 1], [1, 2, 1], 3);
    const joint = confusionOf([0, 1, 2, 2, 2, 1], [0, 2, 2, 1, 2, 1], 3);
    expect(Array.from(sumConfusions([a, b], 3).counts)).toEqual(Array.from(joint.counts));
  });

  it('round-trips through rows', () => {
    const cm = accumulateConfusion(emptyConfusion(3), [0, 1, 2, 2], [2, 1, 0, 2]);
    expect(Array.from(confusionFromRows(confusionToRows(cm)).counts)).toEqual(Array.from(cm.counts));
  });
});

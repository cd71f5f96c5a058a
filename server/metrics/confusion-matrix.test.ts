import { describe, expect, it } from 'vitest';
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

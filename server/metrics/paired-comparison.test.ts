import { describe, expect, it } from 'vitest';
import { confusionOf } from './confusion-matrix.ts';
import { comparePairedImages } from './paired-comparison.ts';

const cm = (gt: number[], pred: number[]) => confusionOf(gt, pred, 3);
const perfect = cm([0, 1, 2, 2], [0, 1, 2, 2]);
const half = cm([0, 1, 2, 2], [0, 0, 2, 1]);

describe('comparePairedImages', () => {
  it('pairs only the images both models evaluated', () => {
    const a = ['f1', 'f2', 'f3', 'f4'].map((key) => ({ key, confusion: perfect }));
    const b = ['f2', 'f3', 'f4', 'f9'].map((key) => ({ key, confusion: half }));
    const r = comparePairedImages(a, b, 1)!;
    expect(r.images).toBe(3);
    // mIoU(a) = 1; mIoU(b) per hand: class 0 IoU 1/2, class 1 IoU 0/2 = 0, class 2 IoU 1/2 → (0.5 + 0 + 0.5) / 3.
    expect(r.difference.estimate).toBeCloseTo(1 - 1 / 3, 12);
    expect(r.difference.low).toBeCloseTo(r.difference.estimate, 12); // the same matrices in every resample
  });

  it('gives no comparison under two shared images', () => {
    expect(comparePairedImages([{ key: 'f1', confusion: perfect }], [{ key: 'f1', confusion: half }], 1)).toBeNull();
    expect(
      comparePairedImages(
        [
          { key: 'f1', confusion: perfect },
          { key: 'f2', confusion: perfect },
        ],
        [{ key: 'f3', confusion: half }],
        1,
      ),
    ).toBeNull();
  });
});

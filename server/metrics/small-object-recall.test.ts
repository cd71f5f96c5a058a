import { describe, expect, it } from 'vitest';
import { bucketOf, smallObjectCounts, smallObjectRecalls, SIZE_BUCKETS } from './small-object-recall.ts';

const PED = 4;
const W = 100;
const H = 80;

function paint(m: Uint8Array, x0: number, y0: number, w: number, h: number, v: number) {
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) m[y * W + x] = v;
}

describe('smallObjectCounts', () => {
  it('counts objects per size bucket and finds those at least half predicted', () => {
    const gt = new Uint8Array(W * H);
    paint(gt, 0, 0, 2, 2, PED); // 4 px, predicted fully → found
    paint(gt, 2, 2, 2, 2, PED); // touches the first only at a corner: a separate 4 px object, missed
    paint(gt, 10, 10, 10, 10, PED); // 100 px, 40 predicted → missed
    paint(gt, 40, 20, 40, 50, PED); // 2000 px, 1200 predicted → found
    const pred = new Uint8Array(W * H);
    paint(pred, 0, 0, 2, 2, PED);
    paint(pred, 10, 10, 10, 4, PED);
    paint(pred, 40, 20, 40, 30, PED);
    const counts = smallObjectCounts(gt, pred, W, H);
    const nb = SIZE_BUCKETS.length;
    // Pedestrian is the first small-object class: buckets < 64, 64–255, 256–1023, ≥ 1024.
    expect(Array.from(counts.subarray(0, nb * 2))).toEqual([2, 1, 1, 0, 0, 0, 1, 1]);
    expect(smallObjectRecalls(counts).slice(0, nb)).toEqual([0.5, 0, Number.NaN, 1]);
  });

  it('puts sizes on the bucket edges in the upper bucket', () => {
    expect([63, 64, 255, 256, 1024].map(bucketOf)).toEqual([0, 1, 1, 2, 3]);
  });
});

import { describe, expect, it } from 'vitest';
import { rng } from '../random.ts';
import { boundaryBand, boundaryCounts, boundaryIous, defaultBandPx } from './boundary-iou.ts';

/** A w×h map of 0 with a filled rectangle of `value`. */
function rect(w: number, h: number, x0: number, y0: number, rw: number, rh: number, value = 1): Uint8Array {
  const m = new Uint8Array(w * h);
  for (let y = y0; y < y0 + rh; y++) for (let x = x0; x < x0 + rw; x++) m[y * w + x] = value;
  return m;
}

/** Plain definition: some pixel of another label in the clipped (2d+1)² window. */
function referenceBand(label: ArrayLike<number>, w: number, h: number, d: number): Uint8Array {
  const out = new Uint8Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let v = Math.max(0, y - d); v <= Math.min(h - 1, y + d) && !out[y * w + x]; v++)
        for (let u = Math.max(0, x - d); u <= Math.min(w - 1, x + d); u++)
          if (label[v * w + u] !== label[y * w + x]) {
            out[y * w + x] = 1;
            break;
          }
  return out;
}

const count = (m: Uint8Array, where: (i: number) => boolean = () => true) => m.reduce((s, v, i) => s + (v && where(i) ? 1 : 0), 0);

describe('boundaryBand', () => {
  it('marks the ring of width d inside and outside a square', () => {
    const sq = rect(30, 30, 10, 10, 10, 10);
    const band = boundaryBand(sq, 30, 30, 2);
    // Inside: 10² − 6² = 64; outside: 14² − 10² = 96.
    expect(count(band, (i) => sq[i] === 1)).toBe(64);
    expect(count(band, (i) => sq[i] === 0)).toBe(96);
  });

  it('does not treat the frame edge as a contour', () => {
    expect(count(boundaryBand(new Uint8Array(20 * 10), 20, 10, 3))).toBe(0);
  });

  it('equals the plain window definition on random maps', () => {
    const rand = rng(7);
    for (const [w, h, d] of [
      [37, 23, 1],
      [40, 31, 2],
      [25, 40, 5],
    ] as const) {
      const m = Uint8Array.from({ length: w * h }, () => (rand() < 0.92 ? 0 : Math.floor(rand() * 4)));
      // Smooth blobs: copy the left neighbour most of the time so runs are long.
      for (let i = 1; i < m.length; i++) if (rand() < 0.7) m[i] = m[i - 1];
      expect(Array.from(boundaryBand(m, w, h, d))).toEqual(Array.from(referenceBand(m, w, h, d)));
    }
  });
});

describe('boundaryCounts', () => {
  it('gives 1 for the same shape, 0 when it is missed', () => {
    const sq = rect(30, 30, 10, 10, 10, 10);
    expect(boundaryIous(boundaryCounts(sq, sq, 30, 30, 2))[1]).toBe(1);
    expect(boundaryIous(boundaryCounts(sq, new Uint8Array(900), 30, 30, 2))[1]).toBe(0);
  });

  it('scores a square shifted by one pixel on its bands only', () => {
    // Truth band: the 64-pixel ring at x,y ∈ [10,19]; prediction ring at x ∈ [11,20].
    // Rows 12–17 (6 rows): truth ring x ∈ {10,11,18,19}, prediction ring x ∈ {11,12,19,20}: 2 shared.
    // Rows 10,11,18,19 (4 rows): truth x ∈ [10,19], prediction x ∈ [11,20]: 9 shared.
    // Intersection 6·2 + 4·9 = 48; union 64 + 64 − 48 = 80.
    const c = boundaryCounts(rect(30, 30, 10, 10, 10, 10), rect(30, 30, 11, 10, 10, 10), 30, 30, 2);
    expect(c[1]).toBe(48);
    expect(c[13 + 1]).toBe(80);
  });

  it('ignores pixels whose truth is 255', () => {
    const gt = rect(30, 30, 10, 10, 10, 10, 255);
    // The predicted square lies wholly on ignored truth: class 1 has no counted pixel at all.
    const c = boundaryCounts(gt, rect(30, 30, 10, 10, 10, 10), 30, 30, 2);
    expect([c[1], c[13 + 1]]).toEqual([0, 0]);
    expect(boundaryIous(c)[1]).toBeNaN();
  });
});

describe('defaultBandPx', () => {
  it('is 2% of the diagonal', () => {
    expect(defaultBandPx(800, 600)).toBe(20);
  });
});

import { describe, expect, it } from 'vitest';
import type { LoadedFrame } from '../dataset/read-dataset.ts';
import { rng } from '../random.ts';
import { normalizeRgb } from '../../models/preprocess.ts';
import { DEFAULT_PHOTOMETRIC, makeTrainingBatch } from './augment.ts';

function frame(): LoadedFrame {
  const width = 40;
  const height = 30;
  const rgb = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 37) % 256);
  const label = Uint8Array.from({ length: width * height }, (_, i) => (i % 17 === 0 ? 255 : i % 13));
  return {
    frame: { subset: '', imagePath: 'x.png', labelPath: 'y.png' },
    rgb: { width, height, data: rgb },
    label: { width, height, data: label },
  } as LoadedFrame;
}

describe('makeTrainingBatch', () => {
  const base = { cropWidth: 32, cropHeight: 24, flip: true, brightness: 0.2 };

  it('photometric variation changes the pixels and never the labels', () => {
    // One image: its crop and flip are drawn before the photometric parameters, so both batches crop alike.
    const plain = makeTrainingBatch([frame()], base, rng(3));
    const varied = makeTrainingBatch([frame()], { ...base, photometric: DEFAULT_PHOTOMETRIC }, rng(3));
    expect(Array.from(varied.labels)).toEqual(Array.from(plain.labels));
    let changed = 0;
    for (let i = 0; i < plain.images.length; i++) if (plain.images[i] !== varied.images[i]) changed++;
    expect(changed / plain.images.length).toBeGreaterThan(0.5);
  });

  it('zero-strength photometric variation is the identity on the image', () => {
    const zero = { contrast: 0, gamma: 0, colour: 0, noise: 0 };
    const a = makeTrainingBatch([frame()], { ...base, brightness: 0, flip: false }, rng(5));
    const b = makeTrainingBatch([frame()], { ...base, brightness: 0, flip: false, photometric: zero }, rng(5));
    // Same crop position (the crop is drawn first) and the same pixel values.
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(Array.from(b.images)).toEqual(Array.from(a.images));
  });

  it("a plain crop is exactly the frame's window at the drawn offset, flipped when drawn", () => {
    const f = frame();
    for (const seed of [1, 2, 3, 4]) {
      const got = makeTrainingBatch([f], { ...base, brightness: 0 }, rng(seed));
      // The draws in order: x offset, y offset, flip (then the tone curve's, which brightness 0 ignores).
      const r = rng(seed);
      const x0 = Math.floor(r() * (40 - 32 + 1));
      const y0 = Math.floor(r() * (30 - 24 + 1));
      const flip = r() < 0.5;
      const rgb = new Uint8Array(32 * 24 * 3);
      const labels: number[] = [];
      for (let y = 0; y < 24; y++) {
        for (let x = 0; x < 32; x++) {
          const src = (y0 + y) * 40 + x0 + (flip ? 31 - x : x);
          labels.push(f.label.data[src]);
          for (let c = 0; c < 3; c++) rgb[(y * 32 + x) * 3 + c] = f.rgb.data[src * 3 + c];
        }
      }
      expect(Array.from(got.labels)).toEqual(labels);
      expect(Array.from(got.images)).toEqual(Array.from(normalizeRgb(rgb)));
    }
  });

  it('random scale zooms in and resamples the label by nearest neighbour, never mixing classes', () => {
    const f = frame();
    // A label that names its source column and row, so that every output label shows where it came from.
    const width = 40;
    const positional = { ...f, label: { ...f.label, data: Uint8Array.from({ length: 40 * 30 }, (_, i) => (i % width) + 40 * (Math.floor(i / width) % 6)) } };
    const zoomed = makeTrainingBatch([positional], { ...base, scale: { max: 1.5 } }, rng(11));
    const values = new Set(positional.label.data);
    for (const v of zoomed.labels) expect(values.has(v)).toBe(true);
    // Zoomed in: fewer distinct source columns than the crop is wide, so some repeat.
    const firstRow = new Set(Array.from(zoomed.labels.subarray(0, 32), (v) => v % 40));
    expect(firstRow.size).toBeLessThan(32);
    // Deterministic in the generator, and the image stays in range.
    expect(Array.from(makeTrainingBatch([positional], { ...base, scale: { max: 1.5 } }, rng(11)).labels)).toEqual(Array.from(zoomed.labels));
    for (const v of zoomed.images) expect(Number.isFinite(v)).toBe(true);
  });
});

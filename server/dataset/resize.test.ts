import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OFFICIAL_DIR } from '../../test/fixtures.ts';
import { decodeLabel, decodeRgb } from './decode.ts';
import type { RgbImage } from './image-types.ts';
import { resizeLabelNearest, resizeRgbBilinear } from './resize.ts';

describe('resizeLabelNearest', () => {
  it('never invents a class that was not in the original (real frame, down and up)', async () => {
    const file = path.join(OFFICIAL_DIR, 'CameraSeg/train_0.png');
    const label = await decodeLabel(await readFile(file), file);
    const present = new Set(label.data);
    for (const [w, h] of [
      [256, 192],
      [333, 197],
      [1024, 768],
    ]) {
      const r = resizeLabelNearest(label, w, h);
      expect(r.data.length).toBe(w * h);
      for (const v of new Set(r.data)) expect(present.has(v)).toBe(true);
    }
  });

  it('picks the source pixel under each output pixel centre (up and down, odd sizes)', () => {
    const src = { width: 7, height: 5, data: Uint8Array.from({ length: 35 }, (_, i) => i) };
    for (const [w, h] of [
      [7, 5],
      [3, 2],
      [20, 13],
      [1, 1],
      [8, 11],
    ]) {
      const r = resizeLabelNearest(src, w, h);
      for (let y = 0; y < h; y++) {
        for (let x = 0; x < w; x++) {
          const ix = Math.min(6, Math.floor(((x + 0.5) * 7) / w));
          const iy = Math.min(4, Math.floor(((y + 0.5) * 5) / h));
          expect(r.data[y * w + x]).toBe(iy * 7 + ix);
        }
      }
    }
  });

  it('keeps a 2-class boundary crisp (no in-between value)', () => {
    const data = new Uint8Array(16).map((_, i) => (i % 4 < 2 ? 1 : 9));
    const r = resizeLabelNearest({ width: 4, height: 4, data }, 7, 5);
    expect(new Set(r.data)).toEqual(new Set([1, 9]));
  });
});

describe('resizeRgbBilinear', () => {
  it('keeps a constant image constant and returns the requested size', () => {
    const img = { width: 800, height: 600, data: new Uint8Array(800 * 600 * 3).fill(77) };
    const r = resizeRgbBilinear(img, 256, 192);
    expect(r.data.length).toBe(256 * 192 * 3);
    expect(new Set(r.data)).toEqual(new Set([77]));
  });

  it('is bit-identical to the per-channel reference formula (real frames, several sizes)', async () => {
    const files = ['train_0.png', 'val_1.png'].map((f) => path.join(OFFICIAL_DIR, 'CameraRGB', f));
    for (const file of files) {
      const img = await decodeRgb(await readFile(file), file);
      for (const [w, h] of [
        [256, 192],
        [128, 96],
        [333, 197],
        [400, 300],
        [1024, 768],
        [37, 23],
      ]) {
        expect(Buffer.from(resizeRgbBilinear(img, w, h).data).equals(Buffer.from(referenceResize(img, w, h).data)), `${w}x${h}`).toBe(true);
      }
    }
  });
});

/** The preprocessing resize written plainly, one channel at a time (what training used). */
function referenceResize(img: RgbImage, width: number, height: number): RgbImage {
  let src = img;
  while (src.width >= width * 2 && src.height >= height * 2) {
    const w = Math.floor(src.width / 2);
    const h = Math.floor(src.height / 2);
    const half = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let c = 0; c < 3; c++) {
          const p = (2 * y * src.width + 2 * x) * 3 + c;
          const q = p + src.width * 3;
          half[(y * w + x) * 3 + c] = (src.data[p] + src.data[p + 3] + src.data[q] + src.data[q + 3] + 2) >> 2;
        }
      }
    }
    src = { width: w, height: h, data: half };
  }
  const out = new Uint8Array(width * height * 3);
  const sx = src.width / width;
  const sy = src.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.max(0, Math.min(src.height - 1, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(src.height - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.max(0, Math.min(src.width - 1, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(src.width - 1, x0 + 1);
      const wx = fx - x0;
      for (let c = 0; c < 3; c++) {
        const a = src.data[(y0 * src.width + x0) * 3 + c];
        const b = src.data[(y0 * src.width + x1) * 3 + c];
        const d = src.data[(y1 * src.width + x0) * 3 + c];
        const e = src.data[(y1 * src.width + x1) * 3 + c];
        out[(y * width + x) * 3 + c] = Math.round((a * (1 - wx) + b * wx) * (1 - wy) + (d * (1 - wx) + e * wx) * wy);
      }
    }
  }
  return { width, height, data: out };
}

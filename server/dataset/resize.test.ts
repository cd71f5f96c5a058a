import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OFFICIAL_DIR } from '../../test/fixtures.ts';
import { decodeLabel } from './decode.ts';
import { resizeLabelNearest, resizeRgbBilinear } from './resize.ts';

describe('resizeLabelNearest', () => {
  it('never invents a class that was not in the original (real frame, down and up)', async () => {
    const file = path.join(OFFICIAL_DIR, 'CameraSeg/train_0.png');
    const label = await decodeLabel(await readFile(file), file);
    const present = new Set(label.data);
    for (const [w, h] of [[256, 192], [333, 197], [1024, 768]]) {
      const r = resizeLabelNearest(label, w, h);
      expect(r.data.length).toBe(w * h);
      for (const v of new Set(r.data)) expect(present.has(v)).toBe(true);
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
});

import sharp from 'sharp';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { colorizeLabel, errorMap } from './render-images.ts';

/** A 6000×4000 label (24 MP) of vertical class stripes: colourised whole it would be 96 MB of RGBA. */
function bigLabel(shift = 0) {
  const width = 6000;
  const height = 4000;
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = (Math.floor(x / 500) + shift) % 13;
  return { width, height, data };
}

afterEach(() => vi.restoreAllMocks());

describe('colorizeLabel', () => {
  it('scales a large mask to the asked width before colourising: no buffer near full size', async () => {
    const label = bigLabel();
    const alloc = vi.spyOn(Buffer, 'alloc');
    const png = await colorizeLabel(label, 600);
    const largest = Math.max(...alloc.mock.calls.map((c) => Number(c[0])));
    expect(largest).toBeLessThanOrEqual(600 * 400 * 4);
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height]).toEqual([600, 400]);
    // The stripes survive: 12 columns of 50 px, class colours differ between neighbours.
    const { data } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect(data.subarray(25 * 4, 25 * 4 + 3)).not.toEqual(data.subarray(75 * 4, 75 * 4 + 3));
  });
});

describe('errorMap', () => {
  it('scales truth and prediction before comparing them', async () => {
    const alloc = vi.spyOn(Buffer, 'alloc');
    const png = await errorMap(bigLabel(), bigLabel(1), 300);
    expect(Math.max(...alloc.mock.calls.map((c) => Number(c[0])))).toBeLessThanOrEqual(300 * 200 * 4);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([300, 200]);
    // Every pixel differs (the prediction is shifted by one class): all red.
    expect([data[0], data[1], data[2], data[3]]).toEqual([220, 38, 38, 255]);
  });
});

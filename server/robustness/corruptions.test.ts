import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeRgb } from '../dataset/decode.ts';
import type { RgbImage } from '../dataset/image-types.ts';
import { CORRUPTION_PARAMETERS, corruptFrame, corruptionSeed, parameterOf } from './corruptions.ts';
import { CORRUPTIONS, MAX_SEVERITY } from '../schemas/robustness.ts';

const FRAME = path.resolve('data/carla-drive/CameraRGB/000_0021.jpg');

function meanAbsDiff(a: RgbImage, b: RgbImage): number {
  let s = 0;
  for (let i = 0; i < a.data.length; i++) s += Math.abs(a.data[i] - b.data[i]);
  return s / a.data.length;
}

describe('corruptFrame', () => {
  let frame: RgbImage;
  beforeAll(async () => {
    frame = await decodeRgb(await readFile(FRAME), FRAME);
  });

  it.each(CORRUPTIONS)('returns the frame unchanged at severity 0 (%s)', async (corruption) => {
    const out = await corruptFrame(frame, { corruption, severity: 0, frameKey: 'k' });
    expect(out.data === frame.data).toBe(false); // a copy, not the frame itself
    expect(Buffer.compare(Buffer.from(out.data), Buffer.from(frame.data))).toBe(0);
  });

  it.each(CORRUPTIONS)('moves the frame further from the clean one at every severity step (%s)', async (corruption) => {
    const distances: number[] = [];
    for (let s = 0; s <= MAX_SEVERITY; s++) distances.push(meanAbsDiff(frame, await corruptFrame(frame, { corruption, severity: s, frameKey: 'k' })));
    expect(distances[0]).toBe(0);
    for (let s = 1; s <= MAX_SEVERITY; s++)
      expect(distances[s], `${corruption} severity ${s} vs ${s - 1}: ${distances.join(', ')}`).toBeGreaterThan(distances[s - 1]);
  });

  it.each(CORRUPTIONS)('gives the same bytes for the same (frame, corruption, severity) and leaves its input alone (%s)', async (corruption) => {
    const before = Buffer.from(frame.data);
    const a = await corruptFrame(frame, { corruption, severity: 3, frameKey: 'frame-a' });
    const b = await corruptFrame(frame, { corruption, severity: 3, frameKey: 'frame-a' });
    expect(Buffer.compare(Buffer.from(a.data), Buffer.from(b.data))).toBe(0);
    expect(Buffer.compare(Buffer.from(frame.data), before)).toBe(0);
    expect([a.width, a.height, a.data.length]).toEqual([frame.width, frame.height, frame.data.length]);
  });

  it('draws different noise and rain for different frames', async () => {
    for (const corruption of ['gaussian-noise', 'rain', 'fog'] as const) {
      const a = await corruptFrame(frame, { corruption, severity: 2, frameKey: 'frame-a' });
      const b = await corruptFrame(frame, { corruption, severity: 2, frameKey: 'frame-b' });
      expect(meanAbsDiff(a, b), corruption).toBeGreaterThan(0);
    }
  });

  it('matches hand-worked values on a tiny image', async () => {
    const tiny: RgbImage = { width: 2, height: 1, data: Uint8Array.from([0, 100, 200, 50, 150, 250]) };
    // Contrast 0.5 around the mean 125: 125 + (v − 125)/2.
    expect([...(await corruptFrame(tiny, { corruption: 'contrast', severity: 2, frameKey: 'k' })).data]).toEqual([63, 113, 163, 88, 138, 188]);
    // Over-exposure gain 1.35, clipped: 135, 270 → 255.
    expect([...(await corruptFrame(tiny, { corruption: 'overexposure', severity: 1, frameKey: 'k' })).data]).toEqual([0, 135, 255, 68, 203, 255]);
    // Motion blur of 5 px on a 2-px row: every pixel is the mean of the clamped window (2 left + 3 right, or 3 left + 2 right).
    const blurred = await corruptFrame(tiny, { corruption: 'motion-blur', severity: 1, frameKey: 'k' });
    expect([...blurred.data]).toEqual([
      Math.round((0 * 3 + 50 * 2) / 5),
      Math.round((100 * 3 + 150 * 2) / 5),
      Math.round((200 * 3 + 250 * 2) / 5),
      Math.round((0 * 2 + 50 * 3) / 5),
      Math.round((100 * 2 + 150 * 3) / 5),
      Math.round((200 * 2 + 250 * 3) / 5),
    ]);
  });

  it('refuses a severity outside 0..5', async () => {
    await expect(corruptFrame(frame, { corruption: 'fog', severity: 6, frameKey: 'k' })).rejects.toThrow(/severity must be an integer 0..5/);
    await expect(corruptFrame(frame, { corruption: 'fog', severity: 1.5, frameKey: 'k' })).rejects.toThrow(/severity/);
    expect(() => parameterOf('jpeg', -1)).toThrow(/severity/);
  });
});

describe('CORRUPTION_PARAMETERS', () => {
  it.each(CORRUPTIONS)('is strictly monotone in severity (%s)', (corruption) => {
    const v = CORRUPTION_PARAMETERS[corruption].values;
    expect(v).toHaveLength(MAX_SEVERITY + 1);
    const sign = Math.sign(v[1] - v[0]);
    expect(sign).not.toBe(0);
    for (let s = 1; s < v.length; s++) expect(Math.sign(v[s] - v[s - 1])).toBe(sign);
  });
});

describe('corruptionSeed', () => {
  it('differs between frames, corruptions and severities', () => {
    const seeds = new Set([corruptionSeed('a', 'fog', 1), corruptionSeed('b', 'fog', 1), corruptionSeed('a', 'rain', 1), corruptionSeed('a', 'fog', 2)]);
    expect(seeds.size).toBe(4);
  });
});

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { copyOfficial, OFFICIAL_DIR, writeRgbPng } from '../../test/fixtures.ts';
import { decodeLabel } from './decode.ts';
import { scanDataset } from './read-dataset.ts';

describe('decodeLabel', () => {
  it('reads class ids from the red channel of the real official frames', async () => {
    const file = path.join(OFFICIAL_DIR, 'CameraSeg/train_0.png');
    const label = await decodeLabel(await readFile(file), file);
    // Independent path: raw RGB through sharp, red channel only.
    const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    expect([label.width, label.height]).toEqual([800, 600]);
    for (let i = 0; i < label.data.length; i += 997) expect(label.data[i]).toBe(data[i * info.channels]);
    const counts = new Array(13).fill(0);
    for (const v of label.data) counts[v]++;
    // Known fractions of this frame (own car's hood included): Road and Unlabeled dominate.
    const frac = counts.map((c) => c / label.data.length);
    expect(frac[7]).toBeGreaterThan(0.15);
    expect(frac[0]).toBeGreaterThan(0.2);
    expect(frac.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('names the file and pixel when a label holds a 13', async () => {
    const dir = await copyOfficial();
    const file = path.join(dir, 'CameraSeg/train_1.png');
    await writeRgbPng(file, 800, 600, (x, y) => [x === 5 && y === 2 ? 13 : 7, 0, 0]);
    await expect(scanDataset(dir, { split: 'all-test' })).rejects.toThrow(/train_1\.png: label value 13 at pixel \(5, 2\) is outside 0\.\.12/);
  });

  it('refuses a colourised label (green/blue not 0)', async () => {
    const dir = await copyOfficial();
    const file = path.join(dir, 'CameraSeg/val_1.png');
    await writeRgbPng(file, 800, 600, () => [128, 64, 128]);
    await expect(scanDataset(dir, { split: 'all-test' })).rejects.toThrow(/val_1\.png: colourised label/);
  });

  it('refuses an image whose size differs from its label', async () => {
    const dir = await copyOfficial();
    await writeRgbPng(path.join(dir, 'CameraRGB/train_2.png'), 400, 300, () => [10, 20, 30]);
    await expect(scanDataset(dir, { split: 'all-test' })).rejects.toThrow(/train_2\.png: image is 400x300 but its label .* is 800x600/);
  });

  it('refuses a frame without its partner instead of dropping it', async () => {
    const dir = await copyOfficial();
    await writeRgbPng(path.join(dir, 'CameraRGB/extra_9.png'), 800, 600, () => [1, 2, 3]);
    await expect(scanDataset(dir, { split: 'all-test' })).rejects.toThrow(/extra_9\.png: no label extra_9\.png/);
  });
});

describe('scanDataset', () => {
  it('counts class pixels of the official frames with the hood ignored', async () => {
    const ds = await scanDataset(OFFICIAL_DIR, { split: 'all-test' });
    expect(ds.frames).toHaveLength(4);
    const hood = ds.hoodMasks.get('')!;
    const hoodPx = hood.reduce((a, b) => a + b, 0);
    expect(hoodPx).toBeGreaterThan(50_000); // the own car's hood at the bottom of the frame
    expect(hood[599 * 800 + 400]).toBe(1);
    expect(hood[0]).toBe(0);
    const total = ds.classPixels.test.reduce((a, b) => a + b, 0);
    expect(total).toBe(4 * 800 * 600 - 4 * hoodPx);
  });
});

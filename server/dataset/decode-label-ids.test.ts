import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DRIVE_DIR, encodePalettePng, OFFICIAL_DIR } from '../../test/fixtures.ts';
import { decodeLabelIds } from './decode-label-ids.ts';
import { CARLA_PALETTE } from './label-forms.ts';

const REAL_LABELS = [path.join(OFFICIAL_DIR, 'CameraSeg/train_0.png'), path.join(DRIVE_DIR, 'CameraSeg/000_0120.png')];

/** Class ids of a real red-channel label, read through sharp: an independent reference. */
async function referenceIds(file: string): Promise<Uint8Array> {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  return Uint8Array.from({ length: info.width * info.height }, (_, i) => data[i * info.channels]);
}

/** The label painted in CARLA's colours, as an RGB PNG. */
async function carlaColourPng(ids: Uint8Array, width: number, height: number, paint?: (rgb: Buffer) => void): Promise<Buffer> {
  const rgb = Buffer.alloc(ids.length * 3);
  ids.forEach((id, i) => rgb.set(CARLA_PALETTE[id], i * 3));
  paint?.(rgb);
  return sharp(rgb, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

describe('decodeLabelIds', () => {
  it.each(REAL_LABELS)('reads a single-channel copy of %s as the same ids as its red-channel original', async (file) => {
    const ids = await referenceIds(file);
    const red = await decodeLabelIds(await readFile(file), file, { validate: true });
    expect(red.form).toBe('red-channel');
    expect(Buffer.from(red.label.data).equals(Buffer.from(ids))).toBe(true);
    const grey = await sharp(file).extractChannel(0).png().toBuffer();
    expect(grey[25]).toBe(0); // PNG colour type 0: greyscale
    // The same values written as RGB with red = green = blue (sharp's default for one-channel data).
    const greyAsRgb = await sharp(Buffer.from(ids), { raw: { width: 800, height: 600, channels: 1 } })
      .png()
      .toBuffer();
    expect(greyAsRgb[25]).toBe(2);
    for (const bytes of [grey, greyAsRgb]) {
      for (const validate of [true, false]) {
        const got = await decodeLabelIds(bytes, 'grey.png', { validate });
        if (validate) expect(got.form).toBe('grey');
        expect(Buffer.from(got.label.data).equals(Buffer.from(ids))).toBe(true);
      }
    }
  });

  it.each([4, 8] as const)('reads a %i-bit palette-index label as its indices, whatever colours the palette holds', async (bitDepth) => {
    const file = REAL_LABELS[0];
    const ids = await referenceIds(file);
    const greyish = CARLA_PALETTE.map((_, k) => [k, k, k]);
    for (const palette of [CARLA_PALETTE, greyish]) {
      const got = await decodeLabelIds(encodePalettePng(800, 600, ids, palette, bitDepth), 'p.png', { validate: true });
      expect(got.form).toBe('palette-index');
      expect(Buffer.from(got.label.data).equals(Buffer.from(ids))).toBe(true);
    }
  });

  it('round-trips a real label through CARLA colours (RGB and indexed) with --palette carla', async () => {
    const file = REAL_LABELS[1];
    const ids = await referenceIds(file);
    const rgb = await carlaColourPng(ids, 800, 600);
    const indexed = encodePalettePng(800, 600, ids, CARLA_PALETTE, 4);
    for (const bytes of [rgb, indexed]) {
      const got = await decodeLabelIds(bytes, 'c.png', { palette: 'carla', validate: true });
      expect(got.form).toBe('carla-colour');
      expect(Buffer.from(got.label.data).equals(Buffer.from(ids))).toBe(true);
    }
    await expect(decodeLabelIds(rgb, 'c.png', { validate: true })).rejects.toThrow(
      /c\.png: colourised label at pixel \(\d+, \d+\): rgb\(.*\) \(CARLA's palette colour for \w+.*--palette carla\)/,
    );
  });

  it('refuses a CARLA-colour label with one foreign colour, naming that pixel', async () => {
    const ids = await referenceIds(REAL_LABELS[1]);
    const bad = await carlaColourPng(ids, 800, 600, (rgb) => rgb.set([1, 2, 3], (45 * 800 + 123) * 3));
    await expect(decodeLabelIds(bad, 'bad.png', { palette: 'carla', validate: true })).rejects.toThrow(
      /bad\.png: colour rgb\(1, 2, 3\) at pixel \(123, 45\) is not in CARLA's semantic palette/,
    );
    const palette = [...CARLA_PALETTE, [9, 9, 9]];
    const indices = Uint8Array.from(ids);
    indices[599 * 800 + 7] = 13;
    await expect(decodeLabelIds(encodePalettePng(800, 600, indices, palette, 4), 'badp.png', { palette: 'carla', validate: true })).rejects.toThrow(
      /badp\.png: colour rgb\(9, 9, 9\) at pixel \(7, 599\)/,
    );
  });

  it('accepts 255 as ignore and counts it; any other value outside 0..12 is refused by pixel', async () => {
    const ids = Uint8Array.from(await referenceIds(REAL_LABELS[0]));
    for (let i = 0; i < 250; i++) ids[1000 + i * 7] = 255;
    const withVoid = await sharp(Buffer.from(ids), { raw: { width: 800, height: 600, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const got = await decodeLabelIds(withVoid, 'v.png', { validate: true });
    expect(got.voidPixels).toBe(250);
    expect(got.label.data[1000]).toBe(255);
    ids[3 * 800 + 9] = 254;
    const bad = await sharp(Buffer.from(ids), { raw: { width: 800, height: 600, channels: 1 } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    for (const validate of [true, false]) {
      await expect(decodeLabelIds(bad, 'v.png', { validate })).rejects.toThrow(/v\.png: label value 254 at pixel \(9, 3\) is outside 0\.\.12 \(255 = ignore\)/);
    }
  });

  it('refuses what it cannot read as ids with the reason', async () => {
    const ids = new Uint8Array(16 * 8);
    const sixteen = await sharp(Buffer.alloc(16 * 8 * 2), { raw: { width: 16, height: 8, channels: 1 } })
      .toColourspace('grey16')
      .png()
      .toBuffer();
    await expect(decodeLabelIds(sixteen, 's.png', { validate: true })).rejects.toThrow(/s\.png: 16-bit label PNG/);
    const truncated = encodePalettePng(16, 8, ids, CARLA_PALETTE, 8).subarray(0, 60);
    await expect(decodeLabelIds(truncated, 't.png', { validate: true })).rejects.toThrow(/t\.png: cannot decode label PNG \(truncated PNG/);
  });
});

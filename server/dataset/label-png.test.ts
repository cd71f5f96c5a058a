import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { DRIVE_DIR, OFFICIAL_DIR } from '../../test/fixtures.ts';
import { rng } from '../random.ts';
import { decodeLabelPng, decodePngRedChannel, encodeLabelPng } from './label-png.ts';

/** Independent reference: sharp decodes the whole image, we take its first channel. */
async function sharpFirstChannel(bytes: Uint8Array): Promise<Uint8Array> {
  const { data } = await sharp(bytes).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data);
}

/** A label-like image: class ids in runs, diagonal edges so every PNG filter type is worth choosing. */
function labelLike(width: number, height: number, seed: number): Uint8Array {
  const rand = rng(seed);
  const out = new Uint8Array(width * height);
  const cuts = Array.from({ length: 6 }, () => [rand() * width, rand() * 2 - 1, Math.floor(rand() * 13)] as const);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let v = 7;
      for (const [x0, slope, cls] of cuts) if (x > x0 + slope * y) v = cls;
      out[y * width + x] = rand() < 0.01 ? Math.floor(rand() * 13) : v;
    }
  }
  return out;
}

describe('decodePngRedChannel', () => {
  it('equals sharp on real CARLA labels (drive and official release)', async () => {
    const drive = (await readdir(path.join(DRIVE_DIR, 'CameraSeg'))).slice(0, 479).filter((_, i) => i % 60 === 0);
    const files = [
      ...drive.map((f) => path.join(DRIVE_DIR, 'CameraSeg', f)),
      path.join(OFFICIAL_DIR, 'CameraSeg/train_0.png'),
      path.join(OFFICIAL_DIR, 'CameraSeg/val_1.png'),
    ];
    for (const file of files) {
      const bytes = await readFile(file);
      const fast = await decodePngRedChannel(bytes);
      expect(fast, file).not.toBeNull();
      expect([fast!.width, fast!.height]).toEqual([800, 600]);
      expect(Buffer.from(fast!.data).equals(Buffer.from(await sharpFirstChannel(bytes))), file).toBe(true);
    }
  });

  it('equals sharp for every 8-bit colour type, with adaptive filtering', async () => {
    const [w, h] = [97, 61];
    const ids = labelLike(w, h, 3);
    const rgba = Buffer.alloc(w * h * 4);
    ids.forEach((v, i) => rgba.set([v, (v * 37) & 255, (v * 91) & 255, 200 + (i % 50)], i * 4));
    const variants: [string, Promise<Buffer>][] = [
      [
        'grey',
        sharp(Buffer.from(ids), { raw: { width: w, height: h, channels: 1 } })
          .png({ adaptiveFiltering: true })
          .toBuffer(),
      ],
      [
        'grey+alpha',
        sharp(rgba, { raw: { width: w, height: h, channels: 4 } })
          .extractChannel(0)
          .joinChannel(Buffer.alloc(w * h, 128), { raw: { width: w, height: h, channels: 1 } })
          .png({ adaptiveFiltering: true })
          .toBuffer(),
      ],
      [
        'rgb',
        sharp(rgba, { raw: { width: w, height: h, channels: 4 } })
          .removeAlpha()
          .png({ adaptiveFiltering: true })
          .toBuffer(),
      ],
      [
        'rgba',
        sharp(rgba, { raw: { width: w, height: h, channels: 4 } })
          .png({ adaptiveFiltering: true })
          .toBuffer(),
      ],
      [
        'palette',
        sharp(rgba, { raw: { width: w, height: h, channels: 4 } })
          .removeAlpha()
          .png({ palette: true, colours: 200, dither: 0 })
          .toBuffer(),
      ],
    ];
    for (const [name, pending] of variants) {
      const bytes = await pending;
      const fast = await decodePngRedChannel(bytes);
      expect(fast, name).not.toBeNull();
      expect(Buffer.from(fast!.data).equals(Buffer.from(await sharpFirstChannel(bytes))), name).toBe(true);
    }
  });

  it('leaves 16-bit, sub-byte and interlaced PNGs to sharp (decodeLabelPng still reads them)', async () => {
    const ids = labelLike(40, 30, 5);
    const grey = sharp(Buffer.from(ids), { raw: { width: 40, height: 30, channels: 1 } });
    const interlaced = await grey.clone().png({ progressive: true }).toBuffer();
    const sixteen = await grey.clone().toColourspace('grey16').png().toBuffer();
    const fourBitPalette = await grey.clone().png({ palette: true, colours: 16, dither: 0 }).toBuffer();
    expect(await decodePngRedChannel(interlaced)).toBeNull();
    expect(await decodePngRedChannel(sixteen)).toBeNull();
    expect(await decodePngRedChannel(fourBitPalette)).toBeNull();
    expect(Array.from((await decodeLabelPng(interlaced)).data)).toEqual(Array.from(ids));
  });

  it('refuses what is not a whole PNG', async () => {
    const bytes = await encodeLabelPng({ width: 64, height: 48, data: labelLike(64, 48, 9) });
    await expect(decodePngRedChannel(new TextEncoder().encode('not a png at all'))).rejects.toThrow(/not a PNG/);
    await expect(decodePngRedChannel(bytes.subarray(0, 60))).rejects.toThrow(/truncated|corrupt/);
    // A row with filter type 7 (only 0..4 exist), CRCs intact: refused, not guessed at.
    const ok = Buffer.from(await encodeLabelPng({ width: 4, height: 2, data: new Uint8Array(8) }));
    const rows = zlib.inflateSync(ok.subarray(8 + 25 + 8, 8 + 25 + 8 + ok.readUInt32BE(33)));
    rows[5] = 7;
    const idat = zlib.deflateSync(rows);
    const head = Buffer.alloc(8);
    head.writeUInt32BE(idat.length, 0);
    head.write('IDAT', 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(idat, zlib.crc32(head.subarray(4))), 0);
    const bad = Buffer.concat([ok.subarray(0, 33), head, idat, crc, ok.subarray(ok.length - 12)]);
    await expect(decodePngRedChannel(bad)).rejects.toThrow(/row 1 has filter type 7/);
  });
});

describe('encodeLabelPng', () => {
  it('round-trips through its own decoder and through sharp, one byte per pixel', async () => {
    const data = labelLike(800, 600, 1);
    data.fill(255, 0, 800 * 40); // ignore pixels survive too
    const png = await encodeLabelPng({ width: 800, height: 600, data });
    const back = await decodeLabelPng(png);
    expect([back.width, back.height]).toEqual([800, 600]);
    expect(Buffer.from(back.data).equals(Buffer.from(data))).toBe(true);
    const meta = await sharp(png).metadata();
    expect([meta.channels, meta.depth]).toEqual([1, 'uchar']);
    expect(Buffer.from(await sharpFirstChannel(png)).equals(Buffer.from(data))).toBe(true);
  });

  it('refuses a map whose length is not width × height', async () => {
    await expect(encodeLabelPng({ width: 10, height: 10, data: new Uint8Array(99) })).rejects.toThrow(/99 values for 10x10/);
  });
});

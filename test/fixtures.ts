import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, mkdir, copyFile, link, readdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { pngChunk } from '../server/dataset/label-png.ts';

export const OFFICIAL_DIR = path.resolve('data/carla-official');
export const DRIVE_DIR = path.resolve('data/carla-drive');

/**
 * The run cards committed under bench-results/ (`<sweep>/<run>/card.json`), counted by walking the
 * folders: what importing the sweeps must bring in, whatever runs were added since.
 */
export function committedSweepCards(root = path.resolve('bench-results')): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((s) => s.isDirectory())
    .flatMap((s) =>
      readdirSync(path.join(root, s.name), { withFileTypes: true })
        .filter((r) => r.isDirectory() && existsSync(path.join(root, s.name, r.name, 'card.json')))
        .map((r) => `${s.name}/${r.name}`),
    );
}

/**
 * The drive's first 200 frames (five blocks of 40: three to train on, the selection block, one
 * val block; the same split rules as the whole drive), linked into a temporary folder once per
 * process. For tests that prove a mechanism (resume, crash recovery, records) rather than a
 * number on the drive: a fifth of its decoding and training.
 */
export const SMALL_DRIVE_FRAMES = 200;
let smallDrive: Promise<string> | null = null;
export function smallDriveDir(): Promise<string> {
  smallDrive ??= (async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pixeldrive-small-drive-'));
    const names = (await readdir(path.join(DRIVE_DIR, 'CameraRGB'))).sort().slice(0, SMALL_DRIVE_FRAMES);
    for (const sub of ['CameraRGB', 'CameraSeg']) {
      await mkdir(path.join(dir, sub));
      const files = new Set(await readdir(path.join(DRIVE_DIR, sub)));
      for (const rgb of names) {
        const name = files.has(rgb) ? rgb : rgb.replace(/\.jpg$/, '.png');
        const from = path.join(DRIVE_DIR, sub, name);
        await link(from, path.join(dir, sub, name)).catch(() => copyFile(from, path.join(dir, sub, name)));
      }
    }
    return dir;
  })();
  return smallDrive;
}

/**
 * A frame's mean Rec. 601 luma from libvips' per-channel means (luma is linear, so the luma of the
 * means is the mean luma): an independent check of server/dataset/brightness.ts.
 */
export async function meanLumaBySharp(file: string): Promise<number> {
  const { channels } = await sharp(file).removeAlpha().stats();
  return 0.299 * channels[0].mean + 0.587 * channels[1].mean + 0.114 * channels[2].mean;
}

/** A temporary CARLA-layout folder with copies of the official frames (to break on purpose). */
export async function copyOfficial(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pixeldrive-ds-'));
  for (const sub of ['CameraRGB', 'CameraSeg']) {
    await mkdir(path.join(dir, sub));
    for (const f of ['train_0.png', 'train_1.png', 'train_2.png', 'val_1.png']) await copyFile(path.join(OFFICIAL_DIR, sub, f), path.join(dir, sub, f));
  }
  return dir;
}

export async function writeRgbPng(file: string, width: number, height: number, fill: (x: number, y: number) => [number, number, number]): Promise<void> {
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(fill(x, y), (y * width + x) * 3);
  await writeFile(
    file,
    await sharp(data, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer(),
  );
}

/**
 * An indexed PNG as PIL writes one for a class-id array: `indices` per pixel, a PLTE of
 * `palette` colours, packed at `bitDepth` bits (PIL packs a 13-colour palette at 4 bits).
 */
export function encodePalettePng(width: number, height: number, indices: Uint8Array, palette: readonly (readonly number[])[], bitDepth: 1 | 2 | 4 | 8): Buffer {
  const rowBytes = Math.ceil((width * bitDepth) / 8);
  const rows = Buffer.alloc((rowBytes + 1) * height);
  for (let y = 0; y < height; y++) {
    rows[y * (rowBytes + 1)] = 0; // filter None
    for (let x = 0; x < width; x++) {
      const bit = x * bitDepth;
      rows[y * (rowBytes + 1) + 1 + (bit >> 3)] |= indices[y * width + x] << (8 - bitDepth - (bit & 7));
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([bitDepth, 3, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('PLTE', Buffer.from(palette.flat())),
    pngChunk('IDAT', zlib.deflateSync(rows)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

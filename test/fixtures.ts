import { mkdtemp, mkdir, copyFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

export const OFFICIAL_DIR = path.resolve('data/carla-official');
export const DRIVE_DIR = path.resolve('data/carla-drive');

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
  await writeFile(file, await sharp(data, { raw: { width, height, channels: 3 } }).png().toBuffer());
}

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { copyOfficial, OFFICIAL_DIR } from '../../test/fixtures.ts';
import { getDb } from '../db/client.ts';
import { labelFormsSchema, labelPaletteSchema, splitVoidPixelsSchema } from '../schemas/dataset.ts';
import { parseJson } from '../schemas/common.ts';
import { importDataset } from './import-dataset.ts';
import { CARLA_PALETTE } from './label-forms.ts';
import { loadGroundTruth } from './load-ground-truth.ts';

/** Class ids of a real red-channel label, read through sharp. */
async function ids(file: string): Promise<Uint8Array> {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  return Uint8Array.from({ length: info.width * info.height }, (_, i) => data[i * info.channels]);
}

async function writeRgb(file: string, rgb: Buffer): Promise<void> {
  await writeFile(
    file,
    await sharp(rgb, { raw: { width: 800, height: 600, channels: 3 } })
      .png()
      .toBuffer(),
  );
}

/** A red-channel label (green and blue 0) from ids. */
function redChannel(values: Uint8Array): Buffer {
  const rgb = Buffer.alloc(values.length * 3);
  values.forEach((v, i) => (rgb[i * 3] = v));
  return rgb;
}

describe('importDataset', () => {
  it('imports a real label with 255 pixels as ignored and records how many', async () => {
    const dir = await copyOfficial();
    const file = path.join(dir, 'CameraSeg/train_1.png');
    const values = await ids(file);
    for (let y = 50; y < 65; y++) values.fill(255, y * 800 + 100, y * 800 + 120); // 300 pixels near the top, far from the hood
    await writeRgb(file, redChannel(values));
    const { id, created } = await importDataset({ root: dir, name: 'void-pixels', kind: 'heldout' });
    expect(created).toBe(true);
    const db = getDb();
    const ds = await db.dataset.findUniqueOrThrow({ where: { id } });
    expect(parseJson(splitVoidPixelsSchema, ds.voidPixels, 'test')).toEqual({ train: 0, val: 0, test: 300 });
    expect(parseJson(labelFormsSchema, ds.labelForms, 'test')).toEqual({ 'red-channel': 4 });
    const rows = await db.datasetImage.findMany({ where: { datasetId: id }, orderBy: { key: 'asc' } });
    expect(rows.map((r) => [r.key, r.voidPixels])).toEqual([
      ['train_0', 0],
      ['train_1', 300],
      ['train_2', 0],
      ['val_1', 0],
    ]);
    const labelled = (r: (typeof rows)[number]) => (r.classPixels as number[]).reduce((a, b) => a + b, 0);
    // Every frame loses the same hood; train_1 also its 300 ignored pixels.
    expect(labelled(rows[1])).toBe(labelled(rows[0]) - 300);
    const truth = await loadGroundTruth(rows[1].id);
    expect(truth.data[55 * 800 + 110]).toBe(255);
  });

  it('registers CARLA-colour labels with --palette carla and reads them back as the same ids', async () => {
    const dir = await copyOfficial();
    const originals = new Map<string, Uint8Array>();
    for (const name of ['train_0', 'train_1', 'train_2', 'val_1']) {
      const file = path.join(dir, `CameraSeg/${name}.png`);
      const values = await ids(file);
      originals.set(name, values);
      const rgb = Buffer.alloc(values.length * 3);
      values.forEach((v, i) => rgb.set(CARLA_PALETTE[v], i * 3));
      await writeRgb(file, rgb);
    }
    await expect(importDataset({ root: dir, name: 'carla-colours', kind: 'heldout' })).rejects.toThrow(/colourised label .*--palette carla/);
    const { id } = await importDataset({ root: dir, name: 'carla-colours', kind: 'heldout', palette: 'carla' });
    const ds = await getDb().dataset.findUniqueOrThrow({ where: { id }, include: { images: true } });
    expect(parseJson(labelPaletteSchema, ds.labelPalette, 'test')).toBe('carla');
    expect(parseJson(labelFormsSchema, ds.labelForms, 'test')).toEqual({ 'carla-colour': 4 });
    const reference = await getDb().dataset.findUnique({ where: { name: 'carla-official' } });
    const official =
      reference ??
      (await getDb().dataset.findUniqueOrThrow({ where: { id: (await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' })).id } }));
    expect(ds.classPixels).toEqual(official.classPixels);
    for (const img of ds.images) {
      const truth = await loadGroundTruth(img.id);
      const hood = truth.data.reduce((n, v) => n + (v === 255 ? 1 : 0), 0);
      expect(hood).toBe(ds.hoodPixels);
      const original = originals.get(img.key)!;
      expect(truth.data.every((v, i) => v === 255 || v === original[i])).toBe(true);
    }
  });

  it('leaves nothing registered when stopped while writing, and imports cleanly afterwards', async () => {
    const dir = await copyOfficial();
    const file = path.join(dir, 'CameraSeg/val_1.png');
    const values = await ids(file);
    values[0] = values[0] === 0 ? 1 : 0; // other content than the other tests' copies
    await writeRgb(file, redChannel(values));
    const stop = new Error('stopped half way');
    const attempt = importDataset({
      root: dir,
      name: 'interrupted',
      kind: 'heldout',
      onProgress: (_done, _total, phase) => {
        if (phase === 'register') throw stop; // the dataset row and the first frame rows are written by now
      },
    });
    await expect(attempt).rejects.toBe(stop);
    const db = getDb();
    expect(await db.dataset.findUnique({ where: { name: 'interrupted' } })).toBeNull();
    expect(await db.datasetImage.count({ where: { dataset: { name: 'interrupted' } } })).toBe(0);
    const again = await importDataset({ root: dir, name: 'interrupted', kind: 'heldout' });
    expect(again).toMatchObject({ created: true, images: 4 });
    expect(await importDataset({ root: dir, name: 'interrupted', kind: 'heldout' })).toEqual({ id: again.id, created: false, images: 4 });
  });
});

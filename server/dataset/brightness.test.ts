import { rm } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyOfficial, meanLumaBySharp } from '../../test/fixtures.ts';
import { getDb } from '../db/client.ts';
import { backfillBrightness, meanBrightness } from './brightness.ts';
import { importDataset } from './import-dataset.ts';

describe('meanBrightness', () => {
  it('returns the grey level of a grey frame and Rec. 601 weights for pure colours', () => {
    expect(meanBrightness({ width: 2, height: 2, data: new Uint8Array(12).fill(7) })).toBe(7);
    // Red and blue, one pixel each: (0.299·255 + 0.114·255) / 2.
    expect(meanBrightness({ width: 2, height: 1, data: new Uint8Array([255, 0, 0, 0, 0, 255]) })).toBeCloseTo(52.6575, 10);
    expect(meanBrightness({ width: 1, height: 1, data: new Uint8Array([0, 255, 0]) })).toBeCloseTo(149.685, 10);
  });
});

describe('backfillBrightness', () => {
  it('stores at import the brightness libvips measures, and fills in frames imported without it with the same values', async () => {
    const dir = await copyOfficial();
    try {
      // Three of the four official frames: a dataset of its own (a new content hash), so nulling its rows touches no other test's data.
      for (const sub of ['CameraRGB', 'CameraSeg']) await rm(path.join(dir, sub, 'val_1.png'));
      const { id: datasetId } = await importDataset({ root: dir, name: 'brightness-backfill', kind: 'heldout' });
      const db = getDb();
      const imported = await db.datasetImage.findMany({
        where: { datasetId },
        orderBy: { key: 'asc' },
        select: { id: true, imagePath: true, brightness: true },
      });
      expect(imported).toHaveLength(3);
      for (const im of imported) expect(im.brightness).toBeCloseTo(await meanLumaBySharp(path.join(dir, im.imagePath)), 6);

      // As a row written before the column existed.
      await db.datasetImage.updateMany({ where: { id: { in: [imported[0].id, imported[2].id] } }, data: { brightness: null } });
      expect(await backfillBrightness(datasetId)).toBe(2);
      const after = await db.datasetImage.findMany({ where: { datasetId }, orderBy: { key: 'asc' }, select: { brightness: true } });
      expect(after.map((r) => r.brightness)).toEqual(imported.map((r) => r.brightness));
      expect(await backfillBrightness(datasetId)).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses with a clear message when a frame is gone from disk, leaving that frame unmeasured', async () => {
    const dir = await copyOfficial();
    try {
      for (const sub of ['CameraRGB', 'CameraSeg']) await rm(path.join(dir, sub, 'train_0.png'));
      const { id: datasetId } = await importDataset({ root: dir, name: 'brightness-missing-frame', kind: 'heldout' });
      const db = getDb();
      await db.datasetImage.updateMany({ where: { datasetId }, data: { brightness: null } });
      await rm(path.join(dir, 'CameraRGB', 'train_1.png'));
      await expect(backfillBrightness(datasetId)).rejects.toMatchObject({
        code: 'NOT_FOUND',
        userMessage: expect.stringMatching(/no longer where it was imported/),
      });
      const rows = await db.datasetImage.findMany({ where: { datasetId }, select: { key: true, brightness: true }, orderBy: { key: 'asc' } });
      expect(rows.find((r) => r.key.endsWith('train_1'))!.brightness).toBeNull();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

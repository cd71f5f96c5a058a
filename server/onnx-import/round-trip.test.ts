import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateNow } from '../../test/evaluate-now.ts';
import { DRIVE_DIR } from '../../test/fixtures.ts';
import { registerCheckpoint } from '../checkpoints/register-checkpoints.ts';
import { config } from '../config.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { exportOnnx } from '../inference/export-onnx.ts';
import { pixeldriveAdapter } from './adapter.ts';
import { adapterLookup } from './adapter-input.ts';
import { importOnnxModel } from './import-onnx-model.ts';
import { normalizeRgb } from '../../models/preprocess.ts';
import { readManifest } from '../../models/checkpoint-manifest.ts';

const SHIPPED_UNET = path.join(config.checkpointsDir, 'unet');

beforeAll(async () => {
  config.modelsDir = await mkdtemp(path.join(os.tmpdir(), 'pixeldrive-models-'));
});

describe('PixelDrive adapter', () => {
  it('feeds exactly the values the checkpoints were trained on, for all 256 byte values', () => {
    const lut = adapterLookup(pixeldriveAdapter({ inputWidth: 256, inputHeight: 192, numClasses: 13 }));
    const bytes = Uint8Array.from({ length: 256 }, (_, v) => v);
    const expected = normalizeRgb(bytes);
    for (const table of lut) expect(table).toEqual(expected);
  });
});

describe('the shipped U-Net exported to ONNX and imported back', () => {
  it('reproduces the checkpoint: the same label map for every val frame, val mIoU equal to 1e-6', async () => {
    const { id: datasetId } = await importDataset({ root: DRIVE_DIR, name: 'carla-drive', kind: 'drive' });
    const shipped = await registerCheckpoint(SHIPPED_UNET);
    const { file } = await exportOnnx(SHIPPED_UNET);
    const { config: cfg } = await readManifest(SHIPPED_UNET);
    const imported = await importOnnxModel({ bytes: new Uint8Array(await readFile(file)), adapter: pixeldriveAdapter(cfg), name: 'U-Net round trip' });
    const [a, b] = [await evaluateNow(shipped.id, datasetId, 'val'), await evaluateNow(imported.id, datasetId, 'val')];
    expect(a.status).toBe('completed');
    expect(b.status).toBe('completed');
    expect(b.predictions.length).toBe(80);
    expect(b.predictions.map((p) => p.image.key)).toEqual(a.predictions.map((p) => p.image.key));
    const differing = b.predictions.filter((p, i) => Buffer.compare(Buffer.from(p.labelPng), Buffer.from(a.predictions[i].labelPng)) !== 0);
    expect(differing.map((p) => p.image.key)).toEqual([]);
    expect(Math.abs(b.miou! - a.miou!)).toBeLessThanOrEqual(1e-6);
  });
});

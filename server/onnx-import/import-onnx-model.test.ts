import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { TORCH_FIXTURE as FIXTURE, TORCH_FIXTURE_ADAPTER as FIXTURE_ADAPTER } from '../../test/bad-model-imports.ts';
import { evaluateNow } from '../../test/evaluate-now.ts';
import { OFFICIAL_DIR } from '../../test/fixtures.ts';
import { config } from '../config.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { decodeLabelPng } from '../dataset/label-png.ts';
import { loadGroundTruth } from '../dataset/load-ground-truth.ts';
import { decodeRgb } from '../dataset/decode.ts';
import { resizeRgbBilinear } from '../dataset/resize.ts';
import { getDb } from '../db/client.ts';
import { getSegmenter } from '../inference/segmenter.ts';
import { computeMetrics } from '../metrics/class-metrics.ts';
import { confusionOf, sumConfusions } from '../metrics/confusion-matrix.ts';
import { parseAdapter } from './adapter.ts';
import { importOnnxModel } from './import-onnx-model.ts';

let fixtureBytes: Uint8Array;
let fixtureAdapter: string;

beforeAll(async () => {
  config.modelsDir = await mkdtemp(path.join(os.tmpdir(), 'pixeldrive-models-'));
  fixtureBytes = new Uint8Array(await readFile(FIXTURE));
  fixtureAdapter = await readFile(FIXTURE_ADAPTER, 'utf8');
});

describe('importOnnxModel', () => {
  it.each(['../etc/passwd', '<b>x</b>', 'a;b'])('refuses the name %s, saying which characters it may use', async (name) => {
    await expect(importOnnxModel({ bytes: fixtureBytes, adapter: fixtureAdapter, name })).rejects.toThrow(/letters, digits, spaces and \. _ \( \) \+ - ·/);
  });

  it('imports a torch.onnx.export model (NCHW, BGR, ImageNet mean/std, 19 classes) with params and GFLOP from its graph', async () => {
    const r = await importOnnxModel({ bytes: fixtureBytes, adapter: fixtureAdapter, name: 'torch fixture', fileName: 'torch-segmenter.onnx' });
    expect(r.created).toBe(true);
    // Worked out from the layers in make-torch-segmenter.py (batch norm folded by the exporter):
    // convs 3→8 3×3, 8→16 3×3 s2, 16→16 3×3, 16→19 1×1, each with bias.
    expect(r.params).toBe(8 * 27 + 8 + 16 * 72 + 16 + 16 * 144 + 16 + 19 * 16 + 19);
    expect(r.gflops * 1e9).toBe(2 * (8 * 27 * 120 * 160 + 16 * 72 * 60 * 80 + 16 * 144 * 60 * 80 + 19 * 16 * 60 * 80));
    expect(r.unmapped).toEqual(['traffic light', 'train']);
    // '·' as in the names PixelDrive gives ("U-Net · MobileNetV2"), which its variants carry on.
    const again = await importOnnxModel({ bytes: fixtureBytes, adapter: fixtureAdapter, name: 'another · name' });
    expect(again).toMatchObject({ id: r.id, created: false, name: 'torch fixture' });
    const row = await getDb().checkpoint.findUniqueOrThrow({ where: { id: r.id } });
    expect(row).toMatchObject({ source: 'imported', arch: 'onnx', fileBytes: fixtureBytes.byteLength });
    expect(await readdir(path.resolve(row.dir))).toEqual(['adapter.json', 'model.onnx', 'onnx-model.json', 'runtime.onnx']);
  });

  it('evaluates the imported model: per-class IoU equals the metric code on its stored predictions', async () => {
    const { id: datasetId } = await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' });
    const { id } = await importOnnxModel({ bytes: fixtureBytes, adapter: fixtureAdapter, name: 'torch fixture' });
    const run = await evaluateNow(id, datasetId, 'test');
    expect(run.status).toBe('completed');
    expect(run.backend).toBe('onnxruntime-cpu');
    const labels = await Promise.all(run.predictions.map((p) => decodeLabelPng(p.labelPng)));
    const truth = await Promise.all(run.predictions.map((p) => loadGroundTruth(p.imageId)));
    const direct = computeMetrics(sumConfusions(labels.map((l, i) => confusionOf(truth[i].data, l.data))));
    expect(run.classMetrics.map((c) => c.iou)).toEqual(direct.perClass.map((c) => (Number.isFinite(c.iou) ? c.iou : null)));
    expect(run.miou).toBe(direct.miou);
    // Only CARLA ids something maps to are ever predicted (Road line 6 and Other 3 are not mapped), and more than one is.
    const seen = new Set(labels.flatMap((l) => [...new Set(l.data)]));
    expect([...seen].every((v) => [0, 1, 2, 4, 5, 7, 8, 9, 10, 11, 12].includes(v))).toBe(true);
    expect(seen.size).toBeGreaterThan(1);
  });

  it('the runtime graph maps classes exactly as argmax over the mapped model classes, computed here from the raw model output', async () => {
    const { id } = await importOnnxModel({ bytes: fixtureBytes, adapter: fixtureAdapter, name: 'torch fixture' });
    const adapter = parseAdapter(fixtureAdapter);
    const frame = resizeRgbBilinear(await decodeRgb(await readFile(path.join(OFFICIAL_DIR, 'CameraRGB/train_0.png')), 'train_0.png'), 160, 120);
    // Independent preprocessing: plain formula, BGR planes.
    const input = new Float32Array(3 * 120 * 160);
    const mean = [0.406, 0.456, 0.485];
    const std = [0.225, 0.224, 0.229];
    for (let c = 0; c < 3; c++) for (let p = 0; p < 120 * 160; p++) input[c * 19200 + p] = (frame.data[p * 3 + (2 - c)] / 255 - mean[c]) / std[c];
    const session = await ort.InferenceSession.create(FIXTURE);
    const scores = (await session.run({ pixels: new ort.Tensor('float32', input, [1, 3, 120, 160]) })).scores.data as Float32Array;
    await session.release();
    const expected = new Uint8Array(19200);
    for (let p = 0; p < 19200; p++) {
      let best = -1;
      for (let k = 0; k < 19; k++) if (adapter.classes[k].carla !== null && (best < 0 || scores[k * 19200 + p] > scores[best * 19200 + p])) best = k;
      expected[p] = adapter.classes[best].carla!;
    }
    const segmenter = await getSegmenter(path.resolve((await getDb().checkpoint.findUniqueOrThrow({ where: { id } })).dir));
    const got = (await segmenter.segment(frame)).label.data;
    let same = 0;
    for (let p = 0; p < 19200; p++) same += got[p] === expected[p] ? 1 : 0;
    // The plain formula and the float32 lookup table may round an input value differently by one ulp.
    expect(same / 19200).toBeGreaterThan(0.999);
  });
});

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../../models/checkpoint-manifest.ts';
import { normalizeRgb } from '../../models/preprocess.ts';
import { OFFICIAL_DIR } from '../../test/fixtures.ts';
import { loadFrame, scanDataset } from '../dataset/read-dataset.ts';
import { resizeRgbBilinear } from '../dataset/resize.ts';
import { exportOnnx } from './export-onnx.ts';
import { createOnnxRunner } from './onnx-runner.ts';
import { getSegmenter, labelComputeSize, MAX_LABEL_PIXELS } from './segmenter.ts';
import type { Runner } from './runner.ts';

describe('ONNX runner: worker thread and in-process', () => {
  const dir = path.resolve('models/checkpoints/unet');
  let threaded: Runner & { threaded: boolean };
  let inProcess: Runner & { threaded: boolean };
  let input: Float32Array;

  beforeAll(async () => {
    const { file } = await exportOnnx(dir);
    const cfg = (await readManifest(dir)).config;
    threaded = await createOnnxRunner(file, { ...cfg, thread: true });
    inProcess = await createOnnxRunner(file, { ...cfg, thread: false });
    const ds = await scanDataset(OFFICIAL_DIR, { split: 'all-test' });
    const frame = await loadFrame(ds, ds.frames[0]);
    input = normalizeRgb(resizeRgbBilinear(frame.rgb, cfg.inputWidth, cfg.inputHeight).data);
  });
  afterAll(async () => {
    await threaded?.dispose();
    await inProcess?.dispose();
  });

  it('runs in a thread under the test runner, and both give the same labels and probabilities', async () => {
    expect(threaded.threaded).toBe(true);
    expect(inProcess.threaded).toBe(false);
    const a = await threaded.run(input.slice(), 1, 600, 800, true);
    const b = await inProcess.run(input.slice(), 1, 600, 800, true);
    expect(a.labels.length).toBe(800 * 600);
    expect(Buffer.from(a.labels).equals(Buffer.from(b.labels))).toBe(true);
    expect(Array.from(a.probabilities!.subarray(0, 1000))).toEqual(Array.from(b.probabilities!.subarray(0, 1000)));
  });

  it('keeps the event loop free while the thread computes', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await threaded.run(input.slice(), 1, 1200, 1600, false);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(3);
  });

  it('answers a bad request with the runtime error and goes on serving', async () => {
    // The runtime's own message crosses the thread boundary (not a generic failure or a hang).
    await expect(threaded.run(new Float32Array(10), 1, 600, 800, false)).rejects.toThrow(/does not match data length\(10\)/);
    const again = await threaded.run(input.slice(), 1, 60, 80, false);
    expect(again.labels.length).toBe(60 * 80);
  });
});

describe('segmenter on large inputs', () => {
  it('answers at the input size, computing the argmax at no more than MAX_LABEL_PIXELS, close to full resolution', async () => {
    const dir = path.resolve('models/checkpoints/unet');
    const { file } = await exportOnnx(dir);
    const cfg = (await readManifest(dir)).config;
    const ds = await scanDataset(OFFICIAL_DIR, { split: 'all-test' });
    const frame = await loadFrame(ds, ds.frames[0]);
    const big = resizeRgbBilinear(frame.rgb, 2000, 1500); // 3 MP, over the cap
    expect(labelComputeSize(2000, 1500)[0] * labelComputeSize(2000, 1500)[1]).toBeLessThanOrEqual(MAX_LABEL_PIXELS);
    expect(labelComputeSize(800, 600)).toEqual([800, 600]);

    const segmenter = await getSegmenter(dir, 'onnx');
    const capped = await segmenter.segment(big);
    expect([capped.label.width, capped.label.height]).toEqual([2000, 1500]);

    const runner = await createOnnxRunner(file, { ...cfg, thread: false });
    try {
      const full = await runner.run(normalizeRgb(resizeRgbBilinear(big, cfg.inputWidth, cfg.inputHeight).data), 1, 1500, 2000, false);
      let agree = 0;
      for (let i = 0; i < full.labels.length; i++) if (full.labels[i] === capped.label.data[i]) agree++;
      expect(agree / full.labels.length).toBeGreaterThan(0.99);
    } finally {
      await runner.dispose();
    }
  });
});

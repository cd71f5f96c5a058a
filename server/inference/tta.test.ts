import './tfjs-support.ts';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../../models/checkpoint-manifest.ts';
import { normalizeRgb } from '../../models/preprocess.ts';
import type { ModelConfig } from '../../models/validate-config.ts';
import { OFFICIAL_DIR } from '../../test/fixtures.ts';
import { loadFrame, scanDataset } from '../dataset/read-dataset.ts';
import { resizeRgbBilinear } from '../dataset/resize.ts';
import { exportOnnx } from './export-onnx.ts';
import { createOnnxSession, runOnnxSession } from './onnx-session.ts';
import { getSegmenter } from './segmenter.ts';

/** NHWC images mirrored left–right. */
function mirrorNhwc(x: Float32Array, n: number, h: number, w: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < h; y++)
      for (let i = 0; i < w; i++) out.set(x.subarray(((b * h + y) * w + (w - 1 - i)) * 3, ((b * h + y) * w + (w - i)) * 3), ((b * h + y) * w + i) * 3);
  return out;
}

/** NCHW scores mirrored left–right. */
function mirrorNchw(x: Float32Array, planes: number, h: number, w: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let p = 0; p < planes * h; p++) for (let i = 0; i < w; i++) out[p * w + i] = x[p * w + (w - 1 - i)];
  return out;
}

// One architecture with skips (U-Net) and one with image pooling (DeepLabV3+), whose mirror
// symmetry is not trivially exact.
describe.each(['unet', 'deeplabv3plus'])('flip averaging (%s)', (arch) => {
  const dir = path.resolve('models/checkpoints', arch);
  let cfg: ModelConfig;
  let input: Float32Array<ArrayBuffer>;
  const n = 2;

  beforeAll(async () => {
    cfg = (await readManifest(dir)).config;
    const ds = await scanDataset(OFFICIAL_DIR, { split: 'all-test' });
    const frames = await Promise.all(ds.frames.slice(0, n).map((f) => loadFrame(ds, f)));
    input = new Float32Array(n * cfg.inputHeight * cfg.inputWidth * 3);
    frames.forEach((f, i) =>
      normalizeRgb(resizeRgbBilinear(f.rgb, cfg.inputWidth, cfg.inputHeight).data, input.subarray((i * input.length) / n, ((i + 1) * input.length) / n)),
    );
  });

  it('the flip graph computes (f(x) + mirror(f(mirror(x)))) / 2 for every image of a batch', async () => {
    const { inputWidth: W, inputHeight: H, numClasses: C } = cfg;
    const plain = await createOnnxSession((await exportOnnx(dir)).file, 2);
    const flip = await createOnnxSession((await exportOnnx(dir, { tta: 'flip' })).file, 2);
    const run = async (s: typeof plain, images: Float32Array) =>
      (await runOnnxSession(s, arch, { images, imageDims: [n, H, W, 3], outHeight: H, outWidth: W, wantLogits: true })).logits!;
    try {
      const a = await run(plain, input.slice());
      const b = mirrorNchw(await run(plain, mirrorNhwc(input, n, H, W)), n * C, H, W);
      const got = await run(flip, input.slice());
      let worst = 0;
      let differs = 0;
      for (let i = 0; i < got.length; i++) {
        worst = Math.max(worst, Math.abs(got[i] - (a[i] + b[i]) / 2));
        if (Math.abs(a[i] - b[i]) > 1e-3) differs++;
      }
      expect(worst).toBeLessThan(1e-4);
      // The mirrored pass is not the plain one again (else the test could not tell them apart).
      expect(differs / got.length).toBeGreaterThan(0.5);
    } finally {
      await Promise.all([plain.release(), flip.release()]);
    }
  });

  it('TF.js and ONNX Runtime agree on the flip-averaged labels, which differ from the plain ones', async () => {
    const ds = await scanDataset(OFFICIAL_DIR, { split: 'all-test' });
    const frame = await loadFrame(ds, ds.frames[0]);
    const [onnx, wasm, plain] = await Promise.all([getSegmenter(dir, 'onnx', 'flip'), getSegmenter(dir, 'wasm', 'flip'), getSegmenter(dir, 'onnx')]);
    const [o, w, p] = [await onnx.segment(frame.rgb), await wasm.segment(frame.rgb), await plain.segment(frame.rgb)];
    let agree = 0;
    let same = 0;
    for (let i = 0; i < o.label.data.length; i++) {
      if (o.label.data[i] === w.label.data[i]) agree++;
      if (o.label.data[i] === p.label.data[i]) same++;
    }
    expect(agree / o.label.data.length).toBeGreaterThan(0.999);
    expect(same / o.label.data.length).toBeLessThan(0.999);
  });
});

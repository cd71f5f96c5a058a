import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeOnnxModel } from '../../server/inference/onnx-proto.ts';
import { initTf } from '../../server/tf/runtime.ts';
import { ShapeOps } from '../flops.ts';
import { OnnxOps } from '../onnx-ops.ts';
import { TfOps, type ParamStore } from '../tf-ops.ts';
import { makeDivisible, mobileNetV2, type MobileNetV2Taps } from './mobilenet-v2.ts';

const TAPS = ['s2', 's4', 's8', 's16', 's32'] as const;

function build(alpha: number, size: number): ParamStore {
  const params: ParamStore = new Map();
  tf.tidy(() => {
    mobileNetV2(new TfOps(params, false, 5), tf.zeros([1, size, size, 3]) as tf.Tensor4D, { alpha });
  });
  return params;
}

beforeAll(async () => {
  await initTf('wasm');
});

describe('makeDivisible', () => {
  it("rounds as Keras' _make_divisible does", () => {
    expect([32 * 0.35, 16 * 0.35, 24 * 0.35, 96 * 0.35, 32 * 1.4, 3].map((v) => makeDivisible(v))).toEqual([16, 8, 8, 32, 48, 8]);
  });
});

describe('mobileNetV2', () => {
  // Keras' MobileNetV2(alpha=1, include_top=False) summary: 2,257,984 parameters (2,223,872
  // trainable); the paper: about 300 M multiply-adds at 224×224 (with its 1.28 M-MAC classifier).
  it("has Keras' parameter count and the paper's multiply-adds", () => {
    const params = build(1, 32);
    let all = 0;
    let trainable = 0;
    for (const v of params.values()) {
      all += v.size;
      if (v.trainable) trainable += v.size;
    }
    for (const v of params.values()) v.dispose();
    expect([all, trainable]).toEqual([2257984, 2223872]);
    let macs = 0;
    const taps = mobileNetV2(new ShapeOps((_x, _n, out, k, y, inPerGroup) => (macs += k * k * inPerGroup * out * y.h * y.w)), { h: 224, w: 224, c: 3 });
    expect(macs / 1e6).toBeGreaterThan(298);
    expect(macs / 1e6).toBeLessThan(301);
    expect(TAPS.map((t) => [taps[t].h, taps[t].c])).toEqual([
      [112, 16],
      [56, 24],
      [28, 32],
      [14, 96],
      [7, 1280],
    ]);
  });

  it('refuses an odd size at a stride-2 conv', () => {
    expect(() => mobileNetV2(new ShapeOps(() => {}), { h: 100, w: 72, c: 3 })).toThrow(/even size/);
  });

  it('exports to ONNX: every tap of ONNX Runtime equals TF.js within 1e-4 (batch norm folded, α 0.5, non-square)', async () => {
    const [h, w] = [96, 160];
    const params = build(0.5, 32);
    // Non-trivial statistics, so that folding batch norm into the (depthwise) convs is exercised.
    tf.tidy(() => {
      let s = 100;
      for (const [k, v] of params) {
        const seed = s++;
        if (k.endsWith('moving_mean') || k.endsWith('/beta')) v.assign(tf.randomNormal(v.shape, 0, 0.2, 'float32', seed));
        if (k.endsWith('moving_variance') || k.endsWith('/gamma')) v.assign(tf.randomUniform(v.shape, 0.5, 1.5, 'float32', seed));
      }
    });
    const { values, shapes } = OnnxOps.fromParams(params);
    const ops = new OnnxOps(values, shapes);
    const taps = mobileNetV2(ops, { name: 'image', c: 3, h, w }, { alpha: 0.5 });
    const model = encodeOnnxModel({
      name: 'mobilenet-v2',
      nodes: ops.nodes,
      initializers: ops.initializers.values(),
      inputs: [{ name: 'image', type: 'float', dims: [1, 3, h, w] }],
      outputs: TAPS.map((t) => ({ name: taps[t].name, type: 'float' as const, dims: [1, taps[t].c, taps[t].h, taps[t].w] })),
    });
    const session = await ort.InferenceSession.create(model);
    const x = tf.randomUniform([1, h, w, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
    const out = await session.run({
      image: new ort.Tensor(
        'float32',
        tf.tidy(() => x.transpose([0, 3, 1, 2]).dataSync() as Float32Array),
        [1, 3, h, w],
      ),
    });
    const before = tf.memory().numTensors;
    const diffs = tf.tidy(() => {
      const ref = mobileNetV2(new TfOps(params, false), x, { alpha: 0.5 }) as MobileNetV2Taps<tf.Tensor4D>;
      return TAPS.map((t) => {
        const got = tf.tensor(out[taps[t].name].data as Float32Array, [1, taps[t].c, taps[t].h, taps[t].w]).transpose([0, 2, 3, 1]);
        return tf.max(tf.abs(tf.sub(got, ref[t]))).dataSync()[0] / Math.max(1, tf.max(tf.abs(ref[t])).dataSync()[0]);
      });
    });
    expect(tf.memory().numTensors).toBe(before);
    for (const [i, d] of diffs.entries()) expect(d, TAPS[i]).toBeLessThan(1e-4);
    x.dispose();
    for (const v of params.values()) v.dispose();
    await session.release();
  });
});

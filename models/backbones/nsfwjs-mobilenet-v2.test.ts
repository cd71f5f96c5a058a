import * as tf from '@tensorflow/tfjs';
import { load } from 'nsfwjs/core';
import { MobileNetV2Model } from 'nsfwjs/models/mobilenet_v2';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../../server/tf/runtime.ts';
import { TfOps, type ParamStore } from '../tf-ops.ts';
import { mobileNetV2, type MobileNetV2Taps } from './mobilenet-v2.ts';
import { assignMobileNetV2Weights, nsfwjsInput, readNsfwjsMobileNetV2, type NsfwjsMobileNetV2, type PackageTensor } from './nsfwjs-mobilenet-v2.ts';

/** Two frames of the drive PixelDrive trains on, one of the official (rainy) set. */
const FRAMES = ['data/carla-drive/CameraRGB/000_0021.jpg', 'data/carla-drive/CameraRGB/000_0320.jpg', 'data/carla-official/CameraRGB/val_1.png'];
/** Our taps and the package's layers they are. */
const TAP_LAYERS = { s2: 'expanded_conv_project_BN', s4: 'block_2_add', s8: 'block_5_add', s16: 'block_12_add', s32: 'out_relu' } as const;

function backbone(size = 32): ParamStore {
  const params: ParamStore = new Map();
  tf.tidy(() => {
    mobileNetV2(new TfOps(params, false), tf.zeros([1, size, size, 3]) as tf.Tensor4D);
  });
  return params;
}

function dispose(params: ParamStore): void {
  for (const v of params.values()) v.dispose();
}

async function readFrame(file: string): Promise<tf.Tensor3D> {
  const { data, info } = await sharp(file).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return tf.tensor3d(new Uint8Array(data), [info.height, info.width, 3], 'int32');
}

/** The package's classifier on our backbone's last tap: global average pool, dense 256 → 128 (ReLU) → 5, softmax. */
function classify(s32: tf.Tensor4D, head: Map<string, PackageTensor>): tf.Tensor2D {
  return tf.tidy(() => {
    let h: tf.Tensor2D = tf.mean(s32, [1, 2]);
    for (const [i, layer] of ['dense_1', 'dense_2', 'dense_3'].entries()) {
      const k = head.get(`${layer}/kernel`)!;
      const b = head.get(`${layer}/bias`)!;
      h = tf.add(tf.matMul(h, tf.tensor2d(k.values, k.shape as [number, number])), tf.tensor1d(b.values));
      if (i < 2) h = tf.relu(h);
    }
    return tf.softmax(h);
  });
}

let pkg: NsfwjsMobileNetV2;

beforeAll(async () => {
  await initTf('wasm');
  pkg = readNsfwjsMobileNetV2();
});

describe('readNsfwjsMobileNetV2', () => {
  it('dequantises every tensor of the pinned package, in the manifest order, and the shard exactly', () => {
    expect(pkg.version).toBe('4.4.0');
    expect(pkg.tensors.size).toBe(266);
    expect([...pkg.tensors.values()].reduce((n, t) => n + t.values.length, 0)).toBe(2619461);
    expect(pkg.shard.length).toBe(2619461);
    // value = q·scale + min, checked on the first tensor's first byte against the manifest by hand.
    const spec = pkg.weightsManifest[0].weights[0];
    expect(spec.name).toBe('Conv1/kernel');
    expect(pkg.tensors.get('Conv1/kernel')!.values[0]).toBeCloseTo(pkg.shard[0] * spec.quantization!.scale + spec.quantization!.min, 6);
    // The manifest is not in layer order: Conv_1 (the last conv) comes second.
    expect([...pkg.tensors.keys()][1]).toBe('Conv_1/kernel');
  });
});

describe('assignMobileNetV2Weights', () => {
  it('fills every backbone parameter once and returns only the classifier', () => {
    const params = backbone();
    const head = assignMobileNetV2Weights(params, pkg.tensors);
    expect([...head.keys()].sort()).toEqual(['dense_1/bias', 'dense_1/kernel', 'dense_2/bias', 'dense_2/kernel', 'dense_3/bias', 'dense_3/kernel']);
    expect(Array.from(params.get('enc.b3.dw.conv/depthwise_kernel')!.dataSync().slice(0, 4))).toEqual(
      Array.from(pkg.tensors.get('block_3_depthwise/depthwise_kernel')!.values.slice(0, 4)),
    );
    dispose(params);
  });

  it('fails on a package tensor that no parameter takes', () => {
    const params = backbone();
    const extra = new Map([...pkg.tensors, ['block_17_project/kernel', pkg.tensors.get('block_16_project/kernel')!]]);
    expect(() => assignMobileNetV2Weights(params, extra)).toThrow(/block_17_project\/kernel .*no such parameter/);
    const unknown = new Map([...pkg.tensors, ['Logits/kernel', pkg.tensors.get('dense_3/kernel')!]]);
    expect(() => assignMobileNetV2Weights(params, unknown)).toThrow(/no parameter of ours corresponds to Logits\/kernel/);
    dispose(params);
  });

  it('fails on a parameter assigned twice', () => {
    const params = backbone();
    // block 0 is `expanded_conv_*` in Keras; a `block_0_*` alias would write the same parameter.
    const twice = new Map([...pkg.tensors, ['block_0_depthwise/depthwise_kernel', pkg.tensors.get('expanded_conv_depthwise/depthwise_kernel')!]]);
    expect(() => assignMobileNetV2Weights(params, twice)).toThrow(/enc\.b0\.dw\.conv\/depthwise_kernel assigned twice/);
    dispose(params);
  });

  it('fails on a backbone parameter left unassigned, and writes nothing then', () => {
    const params = backbone();
    const lacking = new Map(pkg.tensors);
    lacking.delete('block_7_expand_BN/moving_variance');
    const before = params.get('enc.b0.dw.conv/depthwise_kernel')!.dataSync().slice();
    expect(() => assignMobileNetV2Weights(params, lacking)).toThrow(/1 backbone parameters left unassigned .*enc\.b7\.expand\.bn\/moving_variance/);
    expect(params.get('enc.b0.dw.conv/depthwise_kernel')!.dataSync()).toEqual(before);
    dispose(params);
  });
});

describe('our MobileNetV2 with the package weights', () => {
  let nsfw: Awaited<ReturnType<typeof load>>;
  const params = new Map() as ParamStore;
  let head: Map<string, PackageTensor>;

  beforeAll(async () => {
    // The package's own loader, model and preprocessing, from its own files (no network).
    nsfw = await load('MobileNetV2', { modelDefinitions: [MobileNetV2Model] });
    for (const [k, v] of backbone()) params.set(k, v);
    head = assignMobileNetV2Weights(params, pkg.tensors);
  });

  // Not nsfw.dispose(): after infer(…, endpoint) it throws (its intermediate models share layers
  // with the model, and it disposes both); the package's model lives until the test file ends.
  afterAll(() => dispose(params));

  it.each(FRAMES)("reproduces the package's 5 probabilities and its intermediate maps on %s", async (file) => {
    const before = tf.memory().numTensors;
    const frame = await readFrame(file);
    let probs: Float32Array[] = [];
    let taps: { tap: string; diff: number; scale: number }[] = [];
    tf.tidy(() => {
      const x = nsfwjsInput(frame);
      const ours = mobileNetV2(new TfOps(params, false), x) as MobileNetV2Taps<tf.Tensor4D>;
      probs = [classify(ours.s32, head), nsfw.infer(frame) as tf.Tensor2D].map((p) => p.dataSync() as Float32Array);
      taps = Object.entries(TAP_LAYERS).map(([tap, layer]) => {
        const ref = nsfw.infer(frame, layer) as tf.Tensor4D;
        const got = ours[tap as keyof typeof TAP_LAYERS];
        expect(got.shape).toEqual(ref.shape);
        return { tap, diff: tf.max(tf.abs(tf.sub(got, ref))).dataSync()[0], scale: tf.max(tf.abs(ref)).dataSync()[0] };
      });
    });
    frame.dispose();
    expect(tf.memory().numTensors).toBe(before);
    const probDiff = Math.max(...Array.from(probs[0], (p, i) => Math.abs(p - probs[1][i])));
    console.info(
      `${file}: package ${Array.from(probs[1], (p) => p.toFixed(4)).join(' ')}; |Δp| ${probDiff.toExponential(2)}; taps |Δ| ${taps.map((t) => `${t.tap} ${t.diff.toExponential(2)} (of ${t.scale.toFixed(2)})`).join(', ')}`,
    );
    expect(probDiff).toBeLessThan(1e-4);
    for (const t of taps) expect(t.diff / t.scale, t.tap).toBeLessThan(1e-4);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../server/tf/runtime.ts';
import { computeMetrics } from '../server/metrics/class-metrics.ts';
import { confusionOf } from '../server/metrics/confusion-matrix.ts';
import { AdamW } from '../server/training/adamw.ts';
import { weightedCrossEntropyFromLogits } from '../server/training/loss.ts';
import { createTrainingEngine } from '../server/training/create-training-engine.ts';
import { TRAINING_ENGINES } from '../server/training/engine.ts';
import { ARCHITECTURES, type Architecture } from './config.ts';
import { createModel, forwardGraph } from './create-model.ts';
import { ShapeOps } from './flops.ts';
import { validateConfig, type ModelConfig } from './validate-config.ts';
import { TfOps } from './tf-ops.ts';
import { tinyConfig } from '../test/model-configs.ts';
import { ARCH_SIZE_MULTIPLE } from './config.ts';

const SMALL = { width: 4, inputWidth: 64, inputHeight: 48 };

/** Every convolution of an architecture with its input and output channels, read off the graph on shapes only. */
function convShapes(config: ModelConfig): { name: string; in: number; out: number }[] {
  const convs: { name: string; in: number; out: number }[] = [];
  forwardGraph(new ShapeOps((x, name, out) => convs.push({ name, in: x.c, out })), { h: config.inputHeight, w: config.inputWidth, c: 3 }, config);
  return convs;
}

beforeAll(async () => {
  await initTf('wasm');
});

describe('validateConfig', () => {
  it('fills defaults', () => {
    expect(validateConfig('unet')).toMatchObject({ arch: 'unet', width: 8, numClasses: 13, inputWidth: 256, inputHeight: 192 });
  });
  it("expresses the seed's U-Net (64-128-256-512, 1024 bottleneck)", () => {
    // The channels every convolution of the built graph produces, read off the graph itself.
    const out = new Map(convShapes(validateConfig('unet', { width: 64 })).map((c) => [c.name, c.out]));
    expect(['enc0', 'enc1', 'enc2', 'enc3', 'mid'].map((s) => [out.get(`${s}.a.conv`), out.get(`${s}.b.conv`)])).toEqual([
      [64, 64],
      [128, 128],
      [256, 256],
      [512, 512],
      [1024, 1024],
    ]);
    expect(['dec3', 'dec2', 'dec1', 'dec0'].map((s) => out.get(`${s}.b.conv`))).toEqual([512, 256, 128, 64]);
    expect(out.get('head')).toBe(13);
  });
  it('rejects bad values with a message naming the field', () => {
    expect(() => validateConfig('segnet', { inputWidth: 100 })).toThrow(/inputWidth/);
    expect(() => validateConfig('deeplabv3plus', { asppRates: [1, 2] })).toThrow(/asppRates/);
    expect(() => validateConfig('nope' as Architecture)).toThrow(/unknown architecture/);
  });
});

describe.each(ARCHITECTURES)('%s', (arch) => {
  const k = ARCH_SIZE_MULTIPLE[arch];
  const small = tinyConfig(arch, { inputWidth: 64, inputHeight: 48 }, 4);
  it.each([
    [k, k],
    [3 * k, 4 * k],
    [5 * k, 3 * k],
    [7 * k, 9 * k],
  ])(`outputs logits [N, H, W, 13] (not probabilities) at %i×%i, a size divisible by ${k}`, (h, w) => {
    const m = createModel(arch, small);
    const x = tf.randomNormal([2, h, w, 3]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const out = m.logits(x);
    expect(out.shape).toEqual([2, h, w, 13]);
    const sums = tf.tidy(() => tf.sum(out, 3).dataSync());
    const min = tf.tidy(() => tf.min(out).dataSync()[0]);
    // A softmax head would make every pixel sum to 1 and be non-negative.
    expect(min).toBeLessThan(0);
    expect(Array.from(sums).some((s) => Math.abs(s - 1) > 1e-3)).toBe(true);
    out.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    m.dispose();
  });

  it('leaves no tensors behind after predict', () => {
    const m = createModel(arch, small);
    const x = tf.zeros([1, 32, 32, 3]) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) m.logits(x).dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    m.dispose();
  });

  it.each(TRAINING_ENGINES)('overfits one image in a few dozen steps on the %s engine (train mIoU rises clearly)', async (engineName) => {
    // 2k×2k: an encoder network's stride-32 batch norm then sees 4 values per channel, not 1.
    const size = 2 * k;
    const m = createModel(arch, { ...small, inputWidth: size, inputHeight: size }, 3);
    const images = tf.tidy(() => tf.randomUniform([1, size, size, 3], -1, 1, 'float32', 5).dataSync() as Float32Array);
    // A label with structure the image predicts: class = quadrant (4 classes).
    const labels = new Int32Array(size * size).map((_, i) => (Math.floor(i / size) < size / 2 ? 0 : 2) + (i % size < size / 2 ? 0 : 1) + 6);
    const batch = { images, labels, n: 1, height: size, width: size };
    const engine = await createTrainingEngine(engineName, { model: m, optimizer: new AdamW(), classWeights: new Array(13).fill(1), batch });
    const miou = async () => {
      const evaluator = await engine.evaluator();
      const { labels: pred } = await evaluator.evaluate(batch);
      await evaluator.dispose();
      return computeMetrics(confusionOf(labels, Uint8Array.from(pred))).miou;
    };
    const start = await miou();
    for (let step = 0; step < 40; step++) await engine.step(batch, 1e-2);
    const end = await miou();
    expect(end).toBeGreaterThan(Math.max(0.5, start + 0.3));
    await engine.dispose();
    m.dispose();
  });
});

describe('SegNet unpooling', () => {
  it('places each value at the index of its window maximum', () => {
    const ops = new TfOps(new Map(), false);
    const x = tf.tensor4d([1, 5, 2, 0, 3, 2, 9, 9, 0, 1, 4, 4, 7, 0, 4, 8], [1, 4, 4, 1]);
    const { pooled, indices } = ops.maxPoolWithIndices(x);
    expect(Array.from(pooled.dataSync())).toEqual([5, 9, 7, 8]);
    const up = ops.maxUnpool(pooled, indices);
    // Ties (9, 9 and 4, 4) keep the first maximum, as TensorFlow and ONNX do.
    expect(Array.from(up.dataSync())).toEqual([0, 5, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 7, 0, 0, 8]);
  });

  it('lets gradients reach the encoder weights through the indices', () => {
    const m = createModel('segnet', SMALL);
    const x = tf.randomNormal([1, 32, 32, 3]) as tf.Tensor4D;
    const enc = m.params.get('enc0.0.conv/kernel')!;
    const { grads } = tf.variableGrads(() => tf.tidy(() => tf.sum(tf.square(forwardGraph(new TfOps(m.params, true), x, m.config)))) as tf.Scalar, [enc]);
    const norm = tf.tidy(() => tf.norm(grads[enc.name]).dataSync()[0]);
    expect(norm).toBeGreaterThan(0);
    tf.dispose(grads);
    m.dispose();
  });
});

describe('weightedCrossEntropyFromLogits', () => {
  it('equals the hand-computed weighted mean of −log softmax, ignoring 255', () => {
    const logits = tf.tensor4d([2, 0, 0, 1, 3, 0, 0, 0, 5], [1, 1, 3, 3]);
    const labels = tf.tensor3d([0, 1, 255], [1, 1, 3], 'int32');
    const w = tf.tensor1d([1, 2, 1]);
    const lse = (a: number[]) => Math.log(a.reduce((s, v) => s + Math.exp(v), 0));
    const l0 = lse([2, 0, 0]) - 2;
    const l1 = lse([1, 3, 0]) - 3;
    const expected = (1 * l0 + 2 * l1) / 3;
    expect(weightedCrossEntropyFromLogits(logits, labels, w).dataSync()[0]).toBeCloseTo(expected, 5);
  });

  it('differs when fed probabilities instead of logits (catches a double softmax)', () => {
    const logits = tf.tensor4d([4, -2, 0, -1, 3, 1], [1, 1, 2, 3]);
    const labels = tf.tensor3d([0, 1], [1, 1, 2], 'int32');
    const w = tf.ones([3]) as tf.Tensor1D;
    const fromLogits = weightedCrossEntropyFromLogits(logits, labels, w).dataSync()[0];
    const fromProbs = weightedCrossEntropyFromLogits(tf.softmax(logits) as tf.Tensor4D, labels, w).dataSync()[0];
    expect(Math.abs(fromLogits - fromProbs)).toBeGreaterThan(0.3);
  });
});

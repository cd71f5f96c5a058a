import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bilinearMatrix } from '../../models/bilinear.ts';
import { ARCH_SIZE_MULTIPLE, ARCHITECTURES, type Architecture } from '../../models/config.ts';
import { tinyConfig } from '../../test/model-configs.ts';
import { createModel, forwardGraph } from '../../models/create-model.ts';
import { validateConfig, type ModelConfig } from '../../models/validate-config.ts';
import { mobileNetV2 } from '../../models/backbones/mobilenet-v2.ts';
import type { Ops } from '../../models/graph.ts';
import { NCHWC_DOMAIN, OrtTrainOps, type GradValue, type PoolingForm } from '../../models/ort-train-ops.ts';
import { TfOps, type ParamStore } from '../../models/tf-ops.ts';
import { initTf } from '../tf/runtime.ts';
import type { HardPixelMining, LovaszTerm } from './ingredients.ts';
import { hardPixelMask, lovaszSoftmax, weightedCrossEntropyFromLogits, weightedCrossEntropyNchw } from './loss.ts';
import { relativeError, worstGradient } from './gradient-error.ts';
import { buildTrainingGraph } from './ort-train-graph.ts';
import { nchwcBlockSize, OrtTrainer } from './ort-trainer.ts';

/** A few ops on any interpreter, ending in the 1×1 head that makes 13 logits. */
type Net = <T, I>(ops: Ops<T, I>, x: T) => T;

const TOLERANCE = 1e-4;
const CLASS_WEIGHTS = Float32Array.from({ length: 13 }, (_, i) => 0.5 + 0.1 * i);

interface GradCase {
  n: number;
  h: number;
  w: number;
}

function inputs({ n, h, w }: GradCase) {
  const images = tf.tidy(() => tf.randomUniform([n, h, w, 3], -1, 1, 'float32', 11).dataSync() as Float32Array);
  // Every class present, and ignored pixels (255) that must contribute nothing.
  const labels = Int32Array.from({ length: n * h * w }, (_, i) => (i % 11 === 4 ? 255 : (i * 7 + Math.floor(i / w)) % 13));
  return { images, labels };
}

/** TF.js' reference cpu backend: loss, gradients and batch means by parameter name. */
function tfReference(
  params: ParamStore,
  forward: (ops: TfOps, x: tf.Tensor4D) => tf.Tensor4D,
  c: GradCase,
  images: Float32Array,
  labels: Int32Array,
  mining?: HardPixelMining,
  lovasz?: LovaszTerm,
) {
  const trainable = [...params].filter(([, v]) => v.trainable);
  const ops = new TfOps(params, true);
  const { value, grads } = tf.variableGrads(
    () =>
      weightedCrossEntropyFromLogits(
        forward(ops, tf.tensor4d(images, [c.n, c.h, c.w, 3])),
        tf.tensor3d(labels, [c.n, c.h, c.w], 'int32'),
        tf.tensor1d(CLASS_WEIGHTS),
        mining,
        lovasz,
      ),
    trainable.map(([, v]) => v),
  );
  const out = {
    loss: value.dataSync()[0],
    grads: new Map(trainable.map(([k, v]) => [k, grads[v.name].dataSync() as Float32Array])),
    means: new Map(ops.bnUpdates.map((u) => [u.name, u.mean.dataSync() as Float32Array])),
  };
  tf.dispose([value, ...Object.values(grads), ...ops.bnUpdates.flatMap((u) => [u.mean, u.variance])]);
  return out;
}

/** The ORT training graph on the same parameters and batch. */
async function ortRun(
  params: ParamStore,
  config: ModelConfig,
  c: GradCase,
  images: Float32Array,
  labels: Int32Array,
  opts: {
    forward?: (ops: OrtTrainOps, x: GradValue) => GradValue;
    ops?: OrtTrainOps;
    pooling?: PoolingForm;
    mining?: HardPixelMining;
    lovasz?: LovaszTerm;
  } = {},
) {
  const shapes = new Map([...params].map(([k, v]) => [k, v.shape]));
  // The block the engine uses on this CPU, so the whole-network cases run its blocked convs too.
  const graph = buildTrainingGraph({ config, paramShapes: shapes, batch: c.n, height: c.h, width: c.w, nchwcBlock: await nchwcBlockSize(), ...opts });
  const trainer = await OrtTrainer.create(graph, { n: c.n, h: c.h, w: c.w });
  const values = new Map([...params].map(([k, v]) => [k, v.dataSync() as Float32Array]));
  const out = await trainer.step({ images, labels, classWeights: CLASS_WEIGHTS, params: values }, shapes);
  await trainer.dispose();
  return out;
}

async function compareNet(net: Net, c: GradCase, ops?: OrtTrainOps, pooling?: PoolingForm, init?: (params: ParamStore) => void) {
  const config = validateConfig('unet', { inputWidth: 32, inputHeight: 32 });
  const params: ParamStore = new Map();
  tf.tidy(() => net(new TfOps(params, false, 3), tf.zeros([c.n, c.h, c.w, 3]) as tf.Tensor4D));
  init?.(params);
  const { images, labels } = inputs(c);
  const ref = tfReference(params, (o, x) => net(o, x), c, images, labels);
  const got = await ortRun(params, config, c, images, labels, { forward: (o, x) => net(o, x), ops: ops ?? undefined, pooling });
  for (const v of params.values()) v.dispose();
  return { ref, got, worst: worstGradient(got.grads, ref.grads) };
}

const head = <T, I>(ops: Ops<T, I>, x: T) => ops.conv(x, 'head', 13, { kernel: 1, bias: true });
const bnRelu = <T, I>(ops: Ops<T, I>, x: T, name: string, ch: number, dilation = 1) =>
  ops.relu(ops.batchNorm(ops.conv(x, `${name}.conv`, ch, { bias: false, dilation }), `${name}.bn`));

const OP_CASES: [string, Net, GradCase][] = [
  ['conv 3×3 + bias, odd size', (ops, x) => head(ops, ops.conv(x, 'c', 5)), { n: 2, h: 7, w: 9 }],
  ['conv 3×3 dilation 2, odd size', (ops, x) => head(ops, ops.conv(x, 'c', 4, { dilation: 2 })), { n: 2, h: 9, w: 11 }],
  ['conv 3×3 dilation 3, wider than tall', (ops, x) => head(ops, ops.conv(ops.conv(x, 'a', 4), 'b', 6, { dilation: 3, bias: false })), { n: 1, h: 10, w: 14 }],
  // Fewer output than input channels: the kernel gradient shifts dy instead of x (OrtTrainOps.convKernelGrad).
  ['conv 3×3 narrowing, dilation 2, odd size', (ops, x) => head(ops, ops.conv(ops.conv(x, 'a', 7), 'b', 3, { dilation: 2 })), { n: 2, h: 9, w: 7 }],
  [
    'conv 3×3 narrowing, dilation 3 on a map barely larger',
    (ops, x) => head(ops, ops.conv(ops.conv(x, 'a', 5), 'b', 2, { dilation: 3, bias: false })),
    { n: 2, h: 4, w: 5 },
  ],
  ['conv 1×1 with bias (the head)', (ops, x) => head(ops, ops.conv(x, 'c', 6, { kernel: 1 })), { n: 2, h: 5, w: 7 }],
  ['batch norm (training mode) + ReLU', (ops, x) => head(ops, bnRelu(ops, x, 'b', 6)), { n: 3, h: 6, w: 10 }],
  ['max-pool (back to full size by resize)', (ops, x) => head(ops, ops.resizeLike(ops.maxPool(bnRelu(ops, x, 'b', 4)), x)), { n: 2, h: 8, w: 12 }],
  [
    'max-pool with indices + max-unpool',
    (ops, x) => {
      const p = ops.maxPoolWithIndices(bnRelu(ops, x, 'e', 4));
      return head(ops, ops.maxUnpool(bnRelu(ops, p.pooled, 'm', 4), p.indices));
    },
    { n: 2, h: 8, w: 10 },
  ],
  ['concat', (ops, x) => head(ops, ops.concat([ops.conv(x, 'a', 3), bnRelu(ops, x, 'b', 5), x])), { n: 2, h: 6, w: 6 }],
  [
    'bilinear resize ×2 and ×4, borders, non-square',
    (ops, x) => {
      const a = bnRelu(ops, x, 'a', 4);
      const down = ops.maxPool(ops.maxPool(a));
      return head(ops, ops.concat([ops.resizeLike(down, a), ops.resizeLike(ops.maxPool(a), a)]));
    },
    { n: 2, h: 12, w: 20 },
  ],
  ['image pooling', (ops, x) => head(ops, ops.concat([ops.imagePool(bnRelu(ops, x, 'a', 4), x), ops.conv(x, 'b', 2)])), { n: 2, h: 6, w: 8 }],
];

/** MobileNetV2's ops: strided and depthwise convs, ReLU6, residual sums (models/backbones/mobilenet-v2.ts). */
const MOBILE_CASES: [string, Net, GradCase][] = [
  // Stride 2 pads only bottom/right on even sizes: the last row and column read zeros.
  ['conv 3×3 stride 2 + bias, non-square', (ops, x) => head(ops, ops.resizeLike(ops.conv(x, 'c', 5, { stride: 2 }), x)), { n: 2, h: 8, w: 12 }],
  [
    'conv 3×3 stride 2 after a conv (its input gradient too)',
    (ops, x) => head(ops, ops.resizeLike(ops.conv(ops.conv(x, 'a', 4), 'c', 6, { stride: 2, bias: false }), x)),
    { n: 2, h: 10, w: 8 },
  ],
  [
    'conv 1×1 stride 2 (skips every other row)',
    (ops, x) => head(ops, ops.resizeLike(ops.conv(ops.conv(x, 'a', 4), 'c', 6, { kernel: 1, stride: 2, bias: false }), x)),
    { n: 2, h: 10, w: 6 },
  ],
  ['depthwise 3×3, odd size', (ops, x) => head(ops, ops.depthwiseConv(ops.conv(x, 'a', 6), 'd')), { n: 2, h: 7, w: 9 }],
  [
    'depthwise 3×3 stride 2, non-square',
    (ops, x) => head(ops, ops.resizeLike(ops.depthwiseConv(ops.conv(x, 'a', 5), 'd', { stride: 2 }), x)),
    { n: 2, h: 10, w: 14 },
  ],
  [
    'depthwise 1×1 stride 2',
    (ops, x) => head(ops, ops.resizeLike(ops.depthwiseConv(ops.conv(x, 'a', 3), 'd', { kernel: 1, stride: 2 }), x)),
    { n: 2, h: 6, w: 8 },
  ],
  [
    // ×8 by three doubling sums: batch-normalised values then fall on both sides of [0, 6].
    'ReLU6 on values beyond both clips, residual sums',
    (ops, x) => {
      let h = ops.batchNorm(ops.conv(x, 'a', 6, { bias: false }), 'a.bn');
      for (let i = 0; i < 3; i++) h = ops.add(h, h);
      return head(ops, ops.add(ops.relu6(h), ops.conv(x, 'b', 6)));
    },
    { n: 2, h: 6, w: 8 },
  ],
  [
    'inverted residual block (expand, depthwise, project, add)',
    (ops, x) => {
      const inp = bnRelu(ops, x, 'in', 4);
      const e = ops.relu6(ops.batchNorm(ops.conv(inp, 'e', 12, { kernel: 1, bias: false }), 'e.bn'));
      const d = ops.relu6(ops.batchNorm(ops.depthwiseConv(e, 'd'), 'd.bn'));
      return head(ops, ops.add(inp, ops.batchNorm(ops.conv(d, 'p', 4, { kernel: 1, bias: false }), 'p.bn')));
    },
    { n: 2, h: 6, w: 10 },
  ],
];

/** The whole backbone (α 0.35) with every tap read through a narrow 1×1 conv, resized to full size. */
const mobileNetV2Net: Net = (ops, x) => {
  const t = mobileNetV2(ops, x, { alpha: 0.35 });
  return head(ops, ops.concat((['s2', 's4', 's8', 's16', 's32'] as const).map((tap) => ops.resizeLike(ops.conv(t[tap], `read.${tap}`, 3, { kernel: 1 }), x))));
};

/**
 * Batch-norm shifts and scales away from their initial 0 and 1. With β = 0 a channel whose batch
 * variance is near zero (deep layers see 8 values per channel here) normalises to float noise
 * around 0, right on ReLU6's kink: which side it falls on is rounding, so two engines (TF.js cpu
 * and wasm disagreed just as much) pass or stop its gradient at random. Shifted, such a channel
 * sits clear of both kinks.
 */
function shiftBatchNorms(params: ParamStore): void {
  tf.tidy(() => {
    // From 41: with 40 one stem pre-activation lands within rounding of 0 and its gradient flips.
    let seed = 41;
    for (const [k, v] of params) {
      if (k.endsWith('/beta')) v.assign(tf.randomUniform(v.shape, 0.5, 1.5, 'float32', seed++));
      if (k.endsWith('/gamma')) v.assign(tf.randomUniform(v.shape, 0.5, 1.5, 'float32', seed++));
    }
  });
}

/**
 * Batch-norm shifts whose gradient is zero in exact arithmetic: the linear projections whose
 * per-channel constant only reaches convs followed by batch norm (which subtracts it again), never
 * a tap. Blocks 6–9 and 13–16 sum into a block without residual (10, widening 64 → 96) or into
 * the last conv before any tap reads them.
 */
const MOBILENET_V2_ZERO_GRADIENTS = [6, 7, 8, 9, 13, 14, 15, 16].map((b) => `enc.b${b}.project.bn/beta`).sort();

describe('ORT training graph gradients against TF.js cpu', () => {
  beforeAll(async () => {
    await initTf('cpu');
  });

  it.each(OP_CASES)('%s', async (_name, net, c) => {
    const { ref, got, worst } = await compareNet(net, c);
    expect(Math.abs(got.loss - ref.loss) / ref.loss).toBeLessThan(TOLERANCE);
    expect(worst.error, worst.name).toBeLessThanOrEqual(TOLERANCE);
  });

  it.each(MOBILE_CASES)('%s', async (_name, net, c) => {
    const { ref, got, worst } = await compareNet(net, c);
    expect(Math.abs(got.loss - ref.loss) / ref.loss).toBeLessThan(TOLERANCE);
    expect(worst.error, worst.name).toBeLessThanOrEqual(TOLERANCE);
  });

  it('whole MobileNetV2 (α 0.35, 64×64 to stride 32), every tap read', async () => {
    const { ref, got } = await compareNet(mobileNetV2Net, { n: 2, h: 64, w: 64 }, undefined, undefined, shiftBatchNorms);
    expect(Math.abs(got.loss - ref.loss) / ref.loss).toBeLessThan(TOLERANCE);
    const maxAbs = (g: Float32Array) => g.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const scale = Math.max(...[...ref.grads.values()].map(maxAbs));
    // Those are float noise in both engines, so relative to themselves they cannot agree: held to
    // being zero at the network's gradient scale instead, and the rest to 1e-4 of their own.
    const zero = [...ref.grads].filter(([, g]) => maxAbs(g) < 1e-6 * scale).map(([k]) => k);
    expect(zero.sort()).toEqual(MOBILENET_V2_ZERO_GRADIENTS);
    for (const k of zero) expect(maxAbs(got.grads.get(k)!), k).toBeLessThan(1e-6 * scale);
    const worst = worstGradient(got.grads, new Map([...ref.grads].filter(([k]) => !zero.includes(k))));
    expect(worst.error, worst.name).toBeLessThanOrEqual(TOLERANCE);
    for (const [name, mean] of ref.means) expect(relativeError(got.batchStats.get(name)!.mean, mean), name).toBeLessThan(TOLERANCE);
  });

  // The window form of max-pooling (for GPU providers without MaxPool indices) is held to the
  // same reference, on the cases that pool and on the architectures that pool.
  const POOLING_CASES = OP_CASES.filter(([name]) => name.startsWith('max-pool'));
  it.each(POOLING_CASES)('%s, window pooling', async (_name, net, c) => {
    const { ref, got, worst } = await compareNet(net, c, undefined, 'window');
    expect(Math.abs(got.loss - ref.loss) / ref.loss).toBeLessThan(TOLERANCE);
    expect(worst.error, worst.name).toBeLessThanOrEqual(TOLERANCE);
  });

  const WHOLE_CASES: [Architecture, PoolingForm][] = [
    ...ARCHITECTURES.map((a): [Architecture, PoolingForm] => [a, 'indices']),
    ['unet', 'window'],
    ['segnet', 'window'],
  ];
  /** Encoder-network gradients that are zero in exact arithmetic (see MOBILENET_V2_ZERO_GRADIENTS); none in the scratch networks. */
  const ZERO_GRADIENTS: Record<Architecture, string[]> = {
    unet: [],
    segnet: [],
    deeplabv3plus: [],
    'unet-mobilenetv2': MOBILENET_V2_ZERO_GRADIENTS,
    // Built up to block 12, and its stride-4 skip (blocks 1–2) reaches only a 1×1 conv before batch norm:
    // blocks 0–9 sum only into such convs. Blocks 10–12 reach the ASPP's padded 3×3 convs.
    'deeplabv3plus-mobilenetv2': Array.from({ length: 10 }, (_, b) => `enc.b${b}.project.bn/beta`).sort(),
  };
  it.each(WHOLE_CASES)('whole %s (%s pooling): every parameter gradient and batch statistic', async (arch, pooling) => {
    const encoder = ARCH_SIZE_MULTIPLE[arch] === 32;
    // An encoder network at 64×64, as the backbone case above: its stride-32 batch norms see 8 values per
    // channel (n = 2). At 64×32 (4 values) float noise reached 5.6e-4 in one of them.
    const config = tinyConfig(arch, encoder ? { inputWidth: 64, inputHeight: 64 } : { inputWidth: 32, inputHeight: 32 });
    const c = { n: 2, h: config.inputHeight as number, w: config.inputWidth as number };
    const m = createModel(arch, config, 9);
    if (encoder) shiftBatchNorms(m.params);
    const { images, labels } = inputs(c);
    const ref = tfReference(m.params, (o, x) => forwardGraph(o, x, m.config), c, images, labels);
    const got = await ortRun(m.params, m.config, c, images, labels, { pooling });
    expect(got.grads.size).toBe(ref.grads.size);
    const maxAbs = (g: Float32Array) => g.reduce((mx, v) => Math.max(mx, Math.abs(v)), 0);
    const scale = Math.max(...[...ref.grads.values()].map(maxAbs));
    const zero = [...ref.grads].filter(([, g]) => maxAbs(g) < 1e-6 * scale).map(([k]) => k);
    expect(zero.sort()).toEqual(ZERO_GRADIENTS[arch]);
    for (const k of zero) expect(maxAbs(got.grads.get(k)!), k).toBeLessThan(1e-6 * scale);
    const worst = worstGradient(got.grads, new Map([...ref.grads].filter(([k]) => !zero.includes(k))));
    expect(worst.error, worst.name).toBeLessThanOrEqual(TOLERANCE);
    for (const [name, mean] of ref.means) expect(relativeError(got.batchStats.get(name)!.mean, mean), name).toBeLessThan(TOLERANCE);
    m.dispose();
  });

  // Hard-pixel mining: the graph's TopK selection against the TF.js loss's JavaScript selection.
  // At initialisation every true-class probability is near 1/13, so the thresholds here are low
  // enough to select: one case cut by the threshold, one by the minimum kept count.
  it.each([
    ['unet', { threshold: 0.07, minKeptFraction: 0.1 }],
    ['segnet', { threshold: 0.01, minKeptFraction: 0.3 }],
  ] as const)('whole %s with hard-pixel mining %o', async (arch, mining) => {
    const c = { n: 2, h: 32, w: 32 };
    const m = createModel(arch, { width: 2, inputWidth: 32, inputHeight: 32 }, 9);
    const { images, labels } = inputs(c);
    const ref = tfReference(m.params, (o, x) => forwardGraph(o, x, m.config), c, images, labels, mining);
    const plain = tfReference(m.params, (o, x) => forwardGraph(o, x, m.config), c, images, labels);
    const got = await ortRun(m.params, m.config, c, images, labels, { mining });
    const worst = worstGradient(got.grads, ref.grads);
    expect(Math.abs(got.loss - ref.loss) / ref.loss).toBeLessThan(TOLERANCE);
    expect(worst.error, worst.name).toBeLessThanOrEqual(TOLERANCE);
    // Mining changes the step: the hard pixels' mean loss is above the all-pixel mean.
    expect(ref.loss).toBeGreaterThan(plain.loss * 1.01);
    m.dispose();
  });

  // Lovász-softmax: the graph's TopK/CumSum term against the JavaScript reference inside the TF.js loss.
  it.each(['unet', 'deeplabv3plus'] as const)('whole %s with a Lovász-softmax term', async (arch) => {
    const c = { n: 2, h: 32, w: 32 };
    const m = createModel(arch, { width: 2, inputWidth: 32, inputHeight: 32 }, 5);
    const { images, labels } = inputs(c);
    const lovasz = { weight: 0.7 };
    const ref = tfReference(m.params, (o, x) => forwardGraph(o, x, m.config), c, images, labels, undefined, lovasz);
    const plain = tfReference(m.params, (o, x) => forwardGraph(o, x, m.config), c, images, labels);
    const got = await ortRun(m.params, m.config, c, images, labels, { lovasz });
    const worst = worstGradient(got.grads, ref.grads);
    expect(Math.abs(got.loss - ref.loss) / ref.loss).toBeLessThan(TOLERANCE);
    expect(worst.error, worst.name).toBeLessThanOrEqual(TOLERANCE);
    // The term is there: near-uniform probabilities give a Jaccard loss near 1 per class.
    expect(ref.loss - plain.loss).toBeGreaterThan(0.7 * 0.8);
    m.dispose();
  });

  // Convs whose channels fill NCHWc blocks run as ONNX Runtime's blocked convolution with the
  // kernel rearranged in the graph: forward for both, adjoint for the same-width one (the
  // narrowing conv's adjoint widens and stays plain); the ops' nodes show that the blocked path
  // ran. 64 → 32 → 32 spans several blocks each way with blocks of 8 (AVX2) and of 16 (AVX-512).
  it.each([
    ['3×3 narrowing with bias, then same width dilated, odd size', { kernel: 3, dilation: 2 }, { n: 2, h: 9, w: 11 }],
    ['1×1', { kernel: 1, dilation: 1 }, { n: 2, h: 5, w: 7 }],
  ] as const)('NCHWc blocked conv: %s', async (_name, o, c) => {
    const block = await nchwcBlockSize();
    if (process.arch === 'x64') expect(block).toBeGreaterThanOrEqual(8);
    const net: Net = (ops, x) =>
      head(ops, ops.conv(ops.conv(ops.conv(x, 'a', 64), 'b', 32, { kernel: o.kernel }), 'c', 32, { kernel: o.kernel, dilation: o.dilation, bias: false }));
    const probe: ParamStore = new Map();
    tf.tidy(() => net(new TfOps(probe, false, 3), tf.zeros([c.n, c.h, c.w, 3]) as tf.Tensor4D));
    const ops = new OrtTrainOps(new Map([...probe].map(([k, v]) => [k, v.shape])), 'indices', block);
    for (const v of probe.values()) v.dispose();
    const { ref, got, worst } = await compareNet(net, c, ops);
    // Forward of b and c, and c's adjoint.
    if (block) expect(ops.nodes.filter((n) => n.domain === NCHWC_DOMAIN && n.opType === 'Conv').length).toBe(3);
    expect(Math.abs(got.loss - ref.loss) / ref.loss).toBeLessThan(TOLERANCE);
    expect(worst.error, worst.name).toBeLessThanOrEqual(TOLERANCE);
  });

  it('fails a wrong adjoint: resize without its border clamping', async () => {
    class BorderlessResize extends OrtTrainOps {
      protected override resizeAdjointMatrix(inSize: number, outSize: number): Float32Array {
        return bilinearMatrix(inSize, outSize, false);
      }
    }
    const [, net, c] = OP_CASES.find(([name]) => name.startsWith('bilinear'))!;
    const probe: ParamStore = new Map();
    tf.tidy(() => net(new TfOps(probe, false, 3), tf.zeros([c.n, c.h, c.w, 3]) as tf.Tensor4D));
    const ops = new BorderlessResize(new Map([...probe].map(([k, v]) => [k, v.shape])));
    for (const v of probe.values()) v.dispose();
    const { worst } = await compareNet(net, c, ops);
    expect(worst.error).toBeGreaterThan(100 * TOLERANCE);
  });
});

describe('weightedCrossEntropyNchw', () => {
  it('equals the TF.js loss on channels-first logits', () => {
    const [n, c, h, w] = [2, 13, 3, 5];
    const logits = tf.tidy(() => tf.randomNormal([n, h, w, c], 0, 3, 'float32', 2).dataSync() as Float32Array);
    const labels = Int32Array.from({ length: n * h * w }, (_, i) => (i % 7 === 0 ? 255 : i % 13));
    const expected = tf.tidy(
      () =>
        weightedCrossEntropyFromLogits(tf.tensor4d(logits, [n, h, w, c]), tf.tensor3d(labels, [n, h, w], 'int32'), tf.tensor1d(CLASS_WEIGHTS)).dataSync()[0],
    );
    const nchw = tf.tidy(() => tf.tensor4d(logits, [n, h, w, c]).transpose([0, 3, 1, 2]).dataSync() as Float32Array);
    expect(weightedCrossEntropyNchw(nchw, labels, CLASS_WEIGHTS, n, c, h * w)).toBeCloseTo(expected, 5);
  });
});

describe('hardPixelMask', () => {
  const valid = [1, 1, 1, 1, 1, 1, 1, 0];
  // Losses of 8 pixels; −ln 0.7 = 0.357: pixels 2, 4, 5 and the ignored pixel 7 are above it.
  const nll = Float32Array.from([0.1, 0.2, 2.0, 0.3, 0.5, 1.0, 0.05, 9.0]);

  it('keeps the pixels under the probability threshold, never an ignored one', () => {
    expect([...hardPixelMask(nll, valid, { threshold: 0.7, minKeptFraction: 1 / 8 })]).toEqual([0, 0, 1, 0, 1, 1, 0, 0]);
  });

  it('keeps at least the hardest minKeptFraction of the batch', () => {
    // 5 of 8 at least: the threshold alone keeps 3, so the 5 largest losses among counted pixels.
    expect([...hardPixelMask(nll, valid, { threshold: 0.7, minKeptFraction: 5 / 8 })]).toEqual([0, 1, 1, 1, 1, 1, 0, 0]);
  });

  it('keeps every counted pixel at a fraction of 1, so the loss is the plain one', () => {
    expect([...hardPixelMask(nll, valid, { threshold: 0.7, minKeptFraction: 1 })]).toEqual(valid);
    const logits = tf.randomNormal([1, 4, 4, 13], 0, 2, 'float32', 4) as tf.Tensor4D;
    const labels = tf.tensor3d(
      Int32Array.from({ length: 16 }, (_, i) => (i === 3 ? 255 : i % 13)),
      [1, 4, 4],
      'int32',
    );
    const w = tf.tensor1d(CLASS_WEIGHTS);
    const all = weightedCrossEntropyFromLogits(logits, labels, w, { threshold: 0.7, minKeptFraction: 1 }).dataSync()[0];
    expect(all).toBeCloseTo(weightedCrossEntropyFromLogits(logits, labels, w).dataSync()[0], 6);
    tf.dispose([logits, labels, w]);
  });
});

describe('lovaszSoftmax', () => {
  /** Mean over the classes present in `labels` of 1 − IoU of the argmax prediction, ignored pixels left out. */
  function jaccardLoss(pred: number[], labels: number[], c: number): number {
    const losses: number[] = [];
    for (let k = 0; k < c; k++) {
      let inter = 0;
      let union = 0;
      let present = false;
      labels.forEach((y, i) => {
        if (y === 255) return;
        present ||= y === k;
        if (y === k && pred[i] === k) inter++;
        if (y === k || pred[i] === k) union++;
      });
      if (present) losses.push(1 - inter / union);
    }
    return losses.reduce((a, b) => a + b, 0) / losses.length;
  }

  it('on one-hot probabilities is the Jaccard loss of that prediction', () => {
    const c = 4;
    const rand = (i: number) => (Math.sin(i * 12.9898) * 43758.5453) % 1;
    const labels = Array.from({ length: 60 }, (_, i) => (i % 9 === 0 ? 255 : Math.floor(Math.abs(rand(i)) * 3))); // class 3 absent
    const pred = labels.map((y, i) => (Math.abs(rand(i + 100)) < 0.35 ? Math.floor(Math.abs(rand(i + 200)) * 4) : y === 255 ? 0 : y));
    const probs = new Float32Array(labels.length * c);
    pred.forEach((k, i) => (probs[i * c + k] = 1));
    expect(lovaszSoftmax(probs, labels, c).loss).toBeCloseTo(jaccardLoss(pred, labels, c), 6);
  });

  it('its gradient matches finite differences, and ignored pixels get none', () => {
    const [p, c] = [40, 5];
    const labels = Array.from({ length: p }, (_, i) => (i % 7 === 3 ? 255 : (i * 3) % c));
    const probs = tf.tidy(() => tf.softmax(tf.randomNormal([p, c], 0, 2, 'float32', 8)).dataSync() as Float32Array);
    const { dProbs } = lovaszSoftmax(probs, labels, c);
    const eps = 1e-3;
    for (let i = 0; i < p * c; i++) {
      const up = Float32Array.from(probs);
      const down = Float32Array.from(probs);
      up[i] += eps;
      down[i] -= eps;
      const fd = (lovaszSoftmax(up, labels, c).loss - lovaszSoftmax(down, labels, c).loss) / (2 * eps);
      expect(Math.abs(fd - dProbs[i]), `value ${i}`).toBeLessThan(1e-3);
      if (labels[Math.floor(i / c)] === 255) expect(dProbs[i]).toBe(0);
    }
  });

  it('ignored pixels change nothing', () => {
    const c = 3;
    const labels = [0, 1, 2, 1, 0, 2, 2];
    const probs = Float32Array.from({ length: labels.length * c }, (_, i) => 0.1 + ((i * 7) % 10) / 20);
    const withIgnored = [...labels, 255, 255];
    const extra = Float32Array.from([...probs, 0.9, 0.05, 0.05, 0.2, 0.7, 0.1]);
    expect(lovaszSoftmax(extra, withIgnored, c).loss).toBeCloseTo(lovaszSoftmax(probs, labels, c).loss, 12);
  });
});

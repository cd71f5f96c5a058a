import * as tf from '@tensorflow/tfjs';
import { samePadding, type ConvOptions, type DepthwiseOptions, type Ops } from './graph.ts';

/** Trainable and running-statistics variables of a network, by name (`enc0.a.conv/kernel`). */
export type ParamStore = Map<string, tf.Variable>;

let nextVariableScope = 0;

export const BN_EPSILON = 1e-3;
const BN_MOMENTUM = 0.9;

/** Batch statistics gathered during a training forward pass; applied after the step. */
interface BnUpdate {
  name: string;
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/** SegNet pooling indices: a one-hot mask over each 2×2 window, [N, H/2, W/2, C, 4]. */
type PoolMask = tf.Tensor;

/**
 * Runs an architecture on TF.js tensors (NHWC). Creates missing parameters on first use
 * (He-normal kernels from a seeded generator, so two processes build identical networks).
 * In training mode batch norm uses batch statistics and records them in `bnUpdates`.
 */
export class TfOps implements Ops<tf.Tensor4D, PoolMask> {
  readonly bnUpdates: BnUpdate[] = [];
  private seed: number;

  constructor(
    readonly params: ParamStore,
    readonly training: boolean,
    seed = 1,
  ) {
    this.seed = seed;
  }

  private param(name: string, shape: number[], init: () => tf.Tensor, trainable = true): tf.Variable {
    let v = this.params.get(name);
    if (!v) {
      // TF.js variable names are global: make them unique per network instance.
      v = tf.variable(init(), trainable, `m${nextVariableScope++}/${name}`);
      this.params.set(name, v);
    }
    if (v.shape.join() !== shape.join()) throw new Error(`parameter ${name}: stored shape [${v.shape}] but the network needs [${shape}]`);
    return v;
  }

  conv(x: tf.Tensor4D, name: string, outChannels: number, opts: ConvOptions = {}): tf.Tensor4D {
    const k = opts.kernel ?? 3;
    const rate = opts.dilation ?? 1;
    const stride = opts.stride ?? 1;
    const inCh = x.shape[3];
    const shape = [k, k, inCh, outChannels];
    const seed = this.seed++;
    const kernel = this.param(`${name}/kernel`, shape, () => tf.randomNormal(shape, 0, Math.sqrt(2 / (k * k * inCh)), 'float32', seed));
    let y: tf.Tensor4D;
    if (stride === 2) {
      if (rate !== 1) throw new Error(`${name}: a stride-2 conv takes no dilation`);
      samePadding(x.shape[1], k, 2); // refuses odd sizes, as the other interpreters do
      samePadding(x.shape[2], k, 2);
      y = tf.conv2d(x, kernel as tf.Tensor4D, 2, 'same');
    } else if (rate === 1 || k === 1) {
      y = tf.conv2d(x, kernel as tf.Tensor4D, 1, 'same');
    } else {
      // TF.js cannot differentiate dilated conv2d; space-to-batch computes the same thing and trains.
      const [, h, w] = x.shape;
      const eh = (rate - (h % rate)) % rate;
      const ew = (rate - (w % rate)) % rate;
      const half = (rate * (k - 1)) / 2;
      const s2b = tf.spaceToBatchND(
        x,
        [rate, rate],
        [
          [half, half + eh],
          [half, half + ew],
        ],
      ) as tf.Tensor4D;
      const conv = tf.conv2d(s2b, kernel as tf.Tensor4D, 1, 'valid');
      y = tf.batchToSpaceND(
        conv,
        [rate, rate],
        [
          [0, eh],
          [0, ew],
        ],
      ) as tf.Tensor4D;
    }
    if (opts.bias ?? true) {
      const bias = this.param(`${name}/bias`, [outChannels], () => tf.zeros([outChannels]));
      y = tf.add(y, bias);
    }
    return y;
  }

  depthwiseConv(x: tf.Tensor4D, name: string, opts: DepthwiseOptions = {}): tf.Tensor4D {
    const k = opts.kernel ?? 3;
    const stride = opts.stride ?? 1;
    const c = x.shape[3];
    const shape = [k, k, c, 1];
    const seed = this.seed++;
    const kernel = this.param(`${name}/depthwise_kernel`, shape, () => tf.randomNormal(shape, 0, Math.sqrt(2 / (k * k)), 'float32', seed));
    samePadding(x.shape[1], k, stride);
    samePadding(x.shape[2], k, stride);
    return tf.depthwiseConv2d(x, kernel as tf.Tensor4D, stride, 'same');
  }

  batchNorm(x: tf.Tensor4D, name: string): tf.Tensor4D {
    const c = x.shape[3];
    const gamma = this.param(`${name}/gamma`, [c], () => tf.ones([c]));
    const beta = this.param(`${name}/beta`, [c], () => tf.zeros([c]));
    const movingMean = this.param(`${name}/moving_mean`, [c], () => tf.zeros([c]), false);
    const movingVar = this.param(`${name}/moving_variance`, [c], () => tf.ones([c]), false);
    if (!this.training) return tf.batchNorm(x, movingMean as tf.Tensor1D, movingVar as tf.Tensor1D, beta as tf.Tensor1D, gamma as tf.Tensor1D, BN_EPSILON);
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    this.bnUpdates.push({ name, mean: tf.keep(mean.clone()) as tf.Tensor1D, variance: tf.keep(variance.clone()) as tf.Tensor1D });
    return tf.batchNorm(x, mean as tf.Tensor1D, variance as tf.Tensor1D, beta as tf.Tensor1D, gamma as tf.Tensor1D, BN_EPSILON);
  }

  relu(x: tf.Tensor4D): tf.Tensor4D {
    return tf.relu(x);
  }

  relu6(x: tf.Tensor4D): tf.Tensor4D {
    return tf.relu6(x);
  }

  add(a: tf.Tensor4D, b: tf.Tensor4D): tf.Tensor4D {
    return tf.add(a, b);
  }

  maxPool(x: tf.Tensor4D): tf.Tensor4D {
    return tf.maxPool(x, 2, 2, 'valid');
  }

  /**
   * Max-pool with indices that gradients flow through: each 2×2 window is moved onto a
   * trailing axis, argMax picks the first maximum (TensorFlow's and ONNX's tie rule) and a
   * one-hot mask remembers it. pooled = Σ window·mask.
   */
  maxPoolWithIndices(x: tf.Tensor4D): { pooled: tf.Tensor4D; indices: PoolMask } {
    const [n, h, w, c] = x.shape;
    const win = windows(x);
    const mask = tf.cast(tf.oneHot(tf.argMax(win, 4), 4, 1, 0, 'int32'), 'float32');
    const pooled = tf.sum(tf.mul(win, mask), 4).reshape([n, h / 2, w / 2, c]) as tf.Tensor4D;
    return { pooled, indices: mask };
  }

  /** Inverse of `windows`: value·mask scattered back to the 2×2 window it came from. */
  maxUnpool(x: tf.Tensor4D, mask: PoolMask): tf.Tensor4D {
    const [n, h, w, c] = x.shape;
    const spread = tf.mul(tf.expandDims(x, 4), mask); // [n, h, w, c, 4]
    return tf
      .reshape(spread, [n, h, w, c, 2, 2])
      .transpose([0, 1, 4, 2, 5, 3])
      .reshape([n, h * 2, w * 2, c]) as tf.Tensor4D;
  }

  concat(xs: tf.Tensor4D[]): tf.Tensor4D {
    return tf.concat(xs, 3);
  }

  resizeLike(x: tf.Tensor4D, like: tf.Tensor4D): tf.Tensor4D {
    const [, h, w] = like.shape;
    if (x.shape[1] === h && x.shape[2] === w) return x;
    return tf.image.resizeBilinear(x, [h, w], false, true);
  }

  imagePool(x: tf.Tensor4D, like: tf.Tensor4D): tf.Tensor4D {
    const [, h, w] = like.shape;
    return tf.mean(x, [1, 2], true).tile([1, h, w, 1]) as tf.Tensor4D;
  }

  channels(x: tf.Tensor4D): number {
    return x.shape[3];
  }
}

/** [n, h, w, c] → [n, h/2, w/2, c, 4]: each 2×2 window in (row, col) order on the last axis. */
function windows(x: tf.Tensor4D): tf.Tensor {
  const [n, h, w, c] = x.shape;
  if (h % 2 || w % 2) throw new Error(`max-pool with indices needs even sizes, got ${h}x${w}`);
  return tf
    .reshape(x, [n, h / 2, 2, w / 2, 2, c])
    .transpose([0, 1, 3, 5, 2, 4])
    .reshape([n, h / 2, w / 2, c, 4]);
}

/** A running statistic after one batch: moving ← momentum·moving + (1 − momentum)·batch, in place. */
export function runningAverage(moving: Float32Array, batch: ArrayLike<number>, momentum = BN_MOMENTUM): void {
  for (let i = 0; i < moving.length; i++) moving[i] = moving[i] * momentum + batch[i] * (1 - momentum);
}

/** Folds the recorded batch statistics into the moving averages, then frees them. */
export function applyBnUpdates(params: ParamStore, updates: BnUpdate[], momentum = BN_MOMENTUM): void {
  for (const u of updates) {
    for (const [stat, batch] of [
      ['moving_mean', u.mean],
      ['moving_variance', u.variance],
    ] as const) {
      const v = params.get(`${u.name}/${stat}`)!;
      const moving = Float32Array.from(v.dataSync() as Float32Array);
      runningAverage(moving, batch.dataSync() as Float32Array, momentum);
      tf.tidy(() => v.assign(tf.tensor(moving, v.shape)));
    }
    u.mean.dispose();
    u.variance.dispose();
  }
  updates.length = 0;
}

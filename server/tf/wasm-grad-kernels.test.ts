import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTf } from './runtime.ts';

/** Gradient of sum(conv(x, w)²) w.r.t. x and w on the current backend. */
function convGrads(x: number[][][][], w: number[][][][], stride: number, pad: 'same' | 'valid') {
  return tf.tidy(() => {
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf
        .conv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad)
        .square()
        .sum(),
    )([tf.tensor4d(x), tf.tensor4d(w)]);
    return g.map((t) => t.arraySync() as number[][][][]);
  });
}

function maxAbsDiff(a: unknown, b: unknown): number {
  const fa = (a as number[]).flat(4) as number[];
  const fb = (b as number[]).flat(4) as number[];
  return Math.max(...fa.map((v, i) => Math.abs(v - fb[i])));
}

describe('wasm Conv2DBackpropFilter / Conv2DBackpropInput', () => {
  beforeAll(async () => {
    await initTf('wasm');
  });

  for (const stride of [1, 2]) {
    for (const pad of ['same', 'valid'] as const) {
      for (const k of [1, 3]) {
        it(`match the cpu backend (stride ${stride}, ${pad}, ${k}x${k})`, async () => {
          const x = tf.randomNormal([2, 11, 9, 3], 0, 1, 'float32', 11).arraySync() as number[][][][];
          const w = tf.randomNormal([k, k, 3, 5], 0, 1, 'float32', 12).arraySync() as number[][][][];
          await tf.setBackend('wasm');
          const [gxW, gwW] = convGrads(x, w, stride, pad);
          await tf.setBackend('cpu');
          const [gxC, gwC] = convGrads(x, w, stride, pad);
          await tf.setBackend('wasm');
          expect(maxAbsDiff(gwW, gwC)).toBeLessThan(1e-3);
          expect(maxAbsDiff(gxW, gxC)).toBeLessThan(1e-3);
        });
      }
    }
  }
});

/** Gradient of sum(depthwise(x, w)²) w.r.t. x and w on the current backend. */
function depthwiseGrads(x: number[][][][], w: number[][][][], stride: number, pad: 'same' | 'valid') {
  return tf.tidy(() => {
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
      tf
        .depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, stride, pad)
        .square()
        .sum(),
    )([tf.tensor4d(x), tf.tensor4d(w)]);
    return g.map((t) => t.arraySync() as number[][][][]);
  });
}

describe('wasm DepthwiseConv2dNativeBackpropFilter / BackpropInput (composed, absent from wasm)', () => {
  beforeAll(async () => {
    await initTf('wasm');
  });

  // Odd and even sizes: 'same' at stride 2 pads only after on even sizes, both sides on odd ones.
  for (const [h, w] of [
    [11, 9],
    [10, 12],
  ]) {
    for (const stride of [1, 2]) {
      for (const pad of ['same', 'valid'] as const) {
        for (const k of [1, 3]) {
          it(`match the cpu backend (${h}×${w}, stride ${stride}, ${pad}, ${k}x${k})`, async () => {
            const x = tf.tidy(() => tf.randomNormal([2, h, w, 4], 0, 1, 'float32', 11).arraySync()) as number[][][][];
            const f = tf.tidy(() => tf.randomNormal([k, k, 4, 1], 0, 1, 'float32', 12).arraySync()) as number[][][][];
            await tf.setBackend('wasm');
            const [gxW, gwW] = depthwiseGrads(x, f, stride, pad);
            await tf.setBackend('cpu');
            const [gxC, gwC] = depthwiseGrads(x, f, stride, pad);
            await tf.setBackend('wasm');
            expect(maxAbsDiff(gwW, gwC)).toBeLessThan(1e-3);
            expect(maxAbsDiff(gxW, gxC)).toBeLessThan(1e-3);
          });
        }
      }
    }
  }
});

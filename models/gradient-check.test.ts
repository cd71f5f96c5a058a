import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../server/tf/runtime.ts';
import { weightedCrossEntropyFromLogits } from '../server/training/loss.ts';
import { mobileNetV2 } from './backbones/mobilenet-v2.ts';
import { ARCH_SIZE_MULTIPLE, ARCHITECTURES } from './config.ts';
import { tinyConfig } from '../test/model-configs.ts';
import { createModel, forwardGraph } from './create-model.ts';
import { TfOps } from './tf-ops.ts';

/**
 * Whole-network gradients on wasm (with PixelDrive's kernels) against TF.js' reference
 * cpu backend: a wrong gradient kernel would train silently into a worse model.
 */
async function lossGrads(backend: 'wasm' | 'cpu', arch: (typeof ARCHITECTURES)[number], size: number, x: number[], labels: number[]) {
  await tf.setBackend(backend);
  const m = createModel(arch, tinyConfig(arch, { inputWidth: size, inputHeight: size }), 9);
  const vars = [...m.params.values()].filter((v) => v.trainable);
  const out = tf.tidy(() => {
    const xt = tf.tensor4d(x, [2, size, size, 3]);
    const yt = tf.tensor3d(labels, [2, size, size], 'int32');
    const { value, grads } = tf.variableGrads(
      () => weightedCrossEntropyFromLogits(forwardGraph(new TfOps(m.params, true), xt, m.config), yt, tf.ones([13])),
      vars,
    );
    return {
      value: value.dataSync()[0],
      grads: Object.fromEntries([...m.params].filter(([, v]) => v.trainable).map(([k, v]) => [k, Array.from(grads[v.name].dataSync())])),
    };
  });
  m.dispose();
  return out;
}

describe('whole-model gradients, wasm vs cpu', () => {
  beforeAll(async () => {
    await initTf('wasm');
  });

  // The networks on a MobileNetV2 encoder are the backbone below plus the ops of these three (their
  // whole graphs are held to this reference in ORT, server/training/ort-train-graph.test.ts): on the
  // cpu backend a whole one takes a minute.
  it.each(ARCHITECTURES.filter((a) => ARCH_SIZE_MULTIPLE[a] === 16))('%s: every parameter gradient matches', async (arch) => {
    const size = 32;
    const x = Array.from(tf.randomUniform([2, size, size, 3], -1, 1, 'float32', 1).dataSync());
    const labels = Array.from({ length: 2 * size * size }, (_, i) => (i * 7 + Math.floor(i / size)) % 13);
    const w = await lossGrads('wasm', arch, size, x, labels);
    const c = await lossGrads('cpu', arch, size, x, labels);
    await tf.setBackend('wasm');
    expect(Math.abs(w.value - c.value)).toBeLessThan(1e-4);
    let worst = 0;
    for (const [name, g] of Object.entries(c.grads)) {
      const scale = Math.max(1e-3, ...g.map(Math.abs));
      const diff = Math.max(...g.map((v, i) => Math.abs(v - w.grads[name][i])));
      worst = Math.max(worst, diff / scale);
    }
    expect(worst).toBeLessThan(1e-2);
  });

  // The pretrained encoder's ops on wasm: its depthwise-conv gradients are PixelDrive's composed
  // kernels (server/tf/wasm-grad-kernels.ts), strided convs and ReLU6 are TF.js' own.
  it('MobileNetV2 backbone (α 0.35, 64×64), every tap read: every parameter gradient matches', async () => {
    const size = 64;
    const net = (ops: TfOps, x: tf.Tensor4D) => {
      const t = mobileNetV2(ops, x, { alpha: 0.35 });
      const read = (['s2', 's4', 's8', 's16', 's32'] as const).map((tap) => ops.resizeLike(ops.conv(t[tap], `read.${tap}`, 3, { kernel: 1 }), x));
      return ops.conv(ops.concat(read), 'head', 13, { kernel: 1 });
    };
    const x = tf.tidy(() => tf.randomUniform([2, size, size, 3], -1, 1, 'float32', 1).dataSync() as Float32Array);
    const labels = Int32Array.from({ length: 2 * size * size }, (_, i) => (i * 7 + Math.floor(i / size)) % 13);
    const run = async (backend: 'wasm' | 'cpu') => {
      await tf.setBackend(backend);
      const params = new Map() as import('./tf-ops.ts').ParamStore;
      tf.tidy(() => net(new TfOps(params, false, 9), tf.zeros([1, size, size, 3]) as tf.Tensor4D));
      // Batch norm off β = 0, γ = 1: with β = 0 a near-constant channel normalises to rounding noise
      // on ReLU6's kink, where the two backends' gradients differ by which side the noise fell.
      tf.tidy(() => {
        let seed = 41;
        for (const [k, v] of params) if (k.endsWith('/beta') || k.endsWith('/gamma')) v.assign(tf.randomUniform(v.shape, 0.5, 1.5, 'float32', seed++));
      });
      const vars = [...params].filter(([, v]) => v.trainable);
      const out = { value: 0, grads: new Map<string, Float32Array>() };
      tf.tidy(() => {
        const { value, grads } = tf.variableGrads(
          () =>
            weightedCrossEntropyFromLogits(
              net(new TfOps(params, true), tf.tensor4d(x, [2, size, size, 3])),
              tf.tensor3d(labels, [2, size, size], 'int32'),
              tf.ones([13]),
            ),
          vars.map(([, v]) => v),
        );
        out.value = value.dataSync()[0];
        for (const [k, v] of vars) out.grads.set(k, grads[v.name].dataSync() as Float32Array);
      });
      for (const v of params.values()) v.dispose();
      return out;
    };
    const w = await run('wasm');
    const c = await run('cpu');
    await tf.setBackend('wasm');
    expect(Math.abs(w.value - c.value)).toBeLessThan(1e-4);
    // Scaled by the network's largest gradient: some batch-norm shifts have an exactly-zero one.
    let scale = 0;
    for (const g of c.grads.values()) for (const v of g) scale = Math.max(scale, Math.abs(v));
    let worst = 0;
    for (const [name, g] of c.grads) {
      const got = w.grads.get(name)!;
      for (let i = 0; i < g.length; i++) worst = Math.max(worst, Math.abs(g[i] - got[i]) / scale);
    }
    expect(worst).toBeLessThan(1e-4);
  });
});

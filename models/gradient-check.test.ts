import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initTf } from '../server/tf/runtime.ts';
import { weightedCrossEntropyFromLogits } from '../server/training/loss.ts';
import { ARCHITECTURES } from './config.ts';
import { createModel, forwardGraph } from './create-model.ts';
import { TfOps } from './tf-ops.ts';

/**
 * Whole-network gradients on wasm (with PixelDrive's kernels) against TF.js' reference
 * cpu backend: a wrong gradient kernel would train silently into a worse model.
 */
async function lossGrads(backend: 'wasm' | 'cpu', arch: (typeof ARCHITECTURES)[number], x: number[], labels: number[]) {
  await tf.setBackend(backend);
  const m = createModel(arch, { width: 2, inputWidth: 32, inputHeight: 32 }, 9);
  const vars = [...m.params.values()].filter((v) => v.trainable);
  const out = tf.tidy(() => {
    const xt = tf.tensor4d(x, [2, 32, 32, 3]);
    const yt = tf.tensor3d(labels, [2, 32, 32], 'int32');
    const { value, grads } = tf.variableGrads(() => weightedCrossEntropyFromLogits(forwardGraph(new TfOps(m.params, true), xt, m.config), yt, tf.ones([13])), vars);
    return { value: value.dataSync()[0], grads: Object.fromEntries([...m.params].filter(([, v]) => v.trainable).map(([k, v]) => [k, Array.from(grads[v.name].dataSync())])) };
  });
  m.dispose();
  return out;
}

describe('whole-model gradients, wasm vs cpu', () => {
  beforeAll(async () => {
    await initTf('wasm');
  });

  it.each(ARCHITECTURES)('%s: every parameter gradient matches', async (arch) => {
    const x = Array.from(tf.randomUniform([2, 32, 32, 3], -1, 1, 'float32', 1).dataSync());
    const labels = Array.from({ length: 2 * 32 * 32 }, (_, i) => (i * 7 + Math.floor(i / 32)) % 13);
    const w = await lossGrads('wasm', arch, x, labels);
    const c = await lossGrads('cpu', arch, x, labels);
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
});

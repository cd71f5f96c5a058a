import * as ort from 'onnxruntime-node';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARCHITECTURES } from '../../models/config.ts';
import { createModel } from '../../models/create-model.ts';
import { tinyConfig } from '../../test/model-configs.ts';
import { initTf } from '../tf/runtime.ts';
import { buildOnnxModel } from './build-onnx-graph.ts';

describe('ONNX export parity (TF.js logits vs ONNX Runtime)', () => {
  beforeAll(async () => {
    await initTf('wasm');
  });

  it.each(ARCHITECTURES)('%s: logits within 1e-3 and argmax agreement >= 99.9%%', async (arch) => {
    const m = createModel(arch, tinyConfig(arch, { inputWidth: 256, inputHeight: 192 }, 8), 21);
    // Non-trivial batch-norm statistics, so that folding them into the convs is exercised.
    tf.tidy(() => {
      let s = 100;
      for (const [k, v] of m.params) {
        const seed = s++;
        if (k.endsWith('moving_mean') || k.endsWith('/beta') || k.endsWith('/bias')) v.assign(tf.randomNormal(v.shape, 0, 0.2, 'float32', seed));
        if (k.endsWith('moving_variance') || k.endsWith('/gamma')) v.assign(tf.randomUniform(v.shape, 0.5, 1.5, 'float32', seed));
      }
    });
    const session = await ort.InferenceSession.create(buildOnnxModel({ params: m.params, config: m.config, metadata: {} }));
    const x = tf.randomUniform([2, 192, 256, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    const out = await session.run({
      image: new ort.Tensor('float32', x.dataSync() as Float32Array, [2, 192, 256, 3]),
      out_size: new ort.Tensor('int64', BigInt64Array.from([600n, 800n]), [2]),
    });
    const [maxDiff, tfLabels] = tf.tidy(() => {
      const logits = m.logits(x);
      const diff = tf.max(tf.abs(tf.sub(tf.tensor(out.logits.data as Float32Array, [2, 13, 192, 256]), tf.transpose(logits, [0, 3, 1, 2])))).dataSync()[0];
      return [diff, tf.argMax(tf.image.resizeBilinear(logits, [600, 800], false, true), 3).dataSync()] as const;
    });
    expect(out.labels.type).toBe('uint8');
    const onnxLabels = out.labels.data as Uint8Array;
    let agree = 0;
    for (let i = 0; i < tfLabels.length; i++) if (tfLabels[i] === onnxLabels[i]) agree++;
    expect(maxDiff).toBeLessThanOrEqual(1e-3);
    expect(agree / tfLabels.length).toBeGreaterThanOrEqual(0.999);
    expect(out.labels.dims).toEqual([2, 600, 800]);
    x.dispose();
    m.dispose();
    await session.release();
  });
});

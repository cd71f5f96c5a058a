import * as tf from '@tensorflow/tfjs';
import { forwardGraph } from '../../models/create-model.ts';
import { applyBnUpdates, TfOps } from '../../models/tf-ops.ts';
import { initTf } from '../tf/runtime.ts';
import type { Batch } from './augment.ts';
import type { EngineOptions, Evaluator, TrainingEngine } from './engine.ts';
import { weightedCrossEntropyFromLogits } from './loss.ts';

/**
 * Training steps in TF.js (tfjs-node-gpu / tfjs-node where installed, else wasm with
 * PixelDrive's gradient kernels): automatic differentiation of the `TfOps` forward pass.
 * The weights live in the model's variables; the optimiser is the shared AdamW.
 */
export async function createTfjsEngine(opts: EngineOptions): Promise<TrainingEngine> {
  const backend = await initTf();
  const { model, optimizer } = opts;
  const weights = tf.tensor1d(opts.classWeights);
  const trainable = [...model.params].filter(([, v]) => v.trainable);

  return {
    name: 'tfjs',
    device: `tfjs-${backend}`,
    async step(batch: Batch, lr: number): Promise<number> {
      const ops = new TfOps(model.params, true);
      const { loss, grads } = tf.tidy(() => {
        const x = tf.tensor4d(batch.images, [batch.n, batch.height, batch.width, 3]);
        const y = tf.tensor3d(batch.labels, [batch.n, batch.height, batch.width], 'int32');
        const { value, grads: g } = tf.variableGrads(
          () => weightedCrossEntropyFromLogits(forwardGraph(ops, x, model.config), y, weights, opts.mining, opts.lovasz),
          trainable.map(([, v]) => v),
        );
        return { loss: value, grads: g };
      });
      const l = (await loss.data())[0];
      if (Number.isFinite(l)) {
        const values = new Map(trainable.map(([name, v]) => [name, Float32Array.from(v.dataSync() as Float32Array)]));
        optimizer.apply(values, new Map(trainable.map(([name, v]) => [name, grads[v.name].dataSync() as Float32Array])), lr);
        tf.tidy(() => {
          for (const [name, v] of trainable) v.assign(tf.tensor(values.get(name)!, v.shape));
        });
        applyBnUpdates(model.params, ops.bnUpdates);
      } else {
        for (const u of ops.bnUpdates) tf.dispose([u.mean, u.variance]);
      }
      tf.dispose([loss, ...Object.values(grads)]);
      return l;
    },
    async evaluator(): Promise<Evaluator> {
      return {
        async evaluate(batch: Batch) {
          const [lossT, predT] = tf.tidy(() => {
            const x = tf.tensor4d(batch.images, [batch.n, batch.height, batch.width, 3]);
            const y = tf.tensor3d(batch.labels, [batch.n, batch.height, batch.width], 'int32');
            const logits = model.logits(x);
            return [weightedCrossEntropyFromLogits(logits, y, weights), tf.argMax(logits, 3)];
          });
          const out = { loss: (await lossT.data())[0], labels: await predT.data() };
          tf.dispose([lossT, predT]);
          return out;
        },
        dispose: async () => {},
      };
    },
    syncToModel: () => {},
    dispose: async () => weights.dispose(),
  };
}

import * as tf from '@tensorflow/tfjs';
import { runningAverage } from '../../models/tf-ops.ts';
import { buildOnnxModel } from '../inference/build-onnx-graph.ts';
import { createOnnxSession, runOnnxSession } from '../inference/onnx-session.ts';
import type { Batch } from './augment.ts';
import type { EngineOptions, Evaluator, TrainingEngine } from './engine.ts';
import { weightedCrossEntropyNchw } from './loss.ts';
import { buildTrainingGraph } from './ort-train-graph.ts';
import { nchwcBlockSize, OrtTrainer } from './ort-trainer.ts';

/** Intra-op threads of the training session: the machine's two cores. */
const ORT_TRAIN_THREADS = 2;

/**
 * Training steps in ONNX Runtime: the architecture's training graph (models/ort-train-ops.ts)
 * computes loss, gradients and batch statistics; AdamW and the running averages update the
 * weights here, in Float32Arrays that stay the source of truth until `syncToModel`.
 * Validation exports the current weights as the product's own inference graph and runs it.
 */
export async function createOrtEngine(opts: EngineOptions): Promise<TrainingEngine> {
  const { model, optimizer } = opts;
  const shapes = new Map([...model.params].map(([k, v]) => [k, v.shape]));
  const values = new Map([...model.params].map(([k, v]) => [k, Float32Array.from(v.dataSync() as Float32Array)]));
  const provider = opts.ortProvider ?? 'cpu';
  // GPU providers get max-pooling by windows: ORT's WebGPU provider has no MaxPool indices, and
  // the two forms give bit-identical gradients on the CPU (ort-train-graph.test.ts).
  // NCHWc convolutions are CPU kernels: a GPU provider gets plain Conv nodes it can place.
  const nchwcBlock = provider === 'cpu' ? await nchwcBlockSize() : null;
  const graph = buildTrainingGraph({
    config: model.config,
    paramShapes: shapes,
    batch: opts.batch.n,
    height: opts.batch.height,
    width: opts.batch.width,
    pooling: provider === 'cpu' ? 'indices' : 'window',
    mining: opts.mining,
    lovasz: opts.lovasz,
    nchwcBlock,
  });
  let trainer: OrtTrainer;
  try {
    trainer = await OrtTrainer.create(graph, { n: opts.batch.n, h: opts.batch.height, w: opts.batch.width }, ORT_TRAIN_THREADS, provider);
  } catch (e) {
    throw new Error(
      `ONNX Runtime's ${provider} execution provider did not start (PIXELDRIVE_ORT_PROVIDER=${provider}): ${(e as Error).message.split('\n')[0]}`,
    );
  }
  const classWeights = Float32Array.from(opts.classWeights);

  const syncToModel = () =>
    tf.tidy(() => {
      for (const [name, v] of model.params) v.assign(tf.tensor(values.get(name)!, v.shape));
    });

  return {
    name: 'ort',
    device:
      provider === 'cpu' ? `onnxruntime-cpu, ${ORT_TRAIN_THREADS} threads${nchwcBlock ? `, NCHWc blocks of ${nchwcBlock}` : ''}` : `onnxruntime-${provider}`,
    async step(batch: Batch, lr: number): Promise<number> {
      const out = await trainer.step({ images: batch.images, labels: batch.labels, classWeights, params: values }, shapes);
      if (Number.isFinite(out.loss)) {
        optimizer.apply(values, out.grads, lr);
        for (const [bn, s] of out.batchStats) {
          runningAverage(values.get(`${bn}/moving_mean`)!, s.mean);
          runningAverage(values.get(`${bn}/moving_variance`)!, s.variance);
        }
      }
      return out.loss;
    },
    async evaluator(): Promise<Evaluator> {
      syncToModel();
      const bytes = buildOnnxModel({ params: model.params, config: model.config, metadata: {} });
      const session = await createOnnxSession(bytes, ORT_TRAIN_THREADS);
      const { inputWidth, inputHeight, numClasses } = model.config;
      return {
        async evaluate(batch: Batch) {
          if (batch.width !== inputWidth || batch.height !== inputHeight)
            throw new Error(`validation frames are ${batch.width}x${batch.height}, the model takes ${inputWidth}x${inputHeight}`);
          const r = await runOnnxSession(session, 'validation graph', {
            images: batch.images,
            imageDims: [batch.n, inputHeight, inputWidth, 3],
            outHeight: inputHeight,
            outWidth: inputWidth,
            wantLogits: true,
          });
          return { loss: weightedCrossEntropyNchw(r.logits!, batch.labels, classWeights, batch.n, numClasses, inputHeight * inputWidth), labels: r.labels };
        },
        dispose: () => session.release(),
      };
    },
    syncToModel,
    dispose: () => trainer.dispose(),
  };
}

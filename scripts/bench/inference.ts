import { existsSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { ARCHITECTURES, type Architecture } from '../../models/config.ts';
import { countParams, createModel, type SegmentationModel } from '../../models/create-model.ts';
import { loadCheckpoint } from '../../models/checkpoint-io.ts';
import { countGflops } from '../../models/flops.ts';
import { config } from '../../server/config.ts';
import { initTf } from '../../server/tf/runtime.ts';
import { exportOnnx } from '../../server/inference/export-onnx.ts';
import { buildOnnxModel } from '../../server/inference/build-onnx-graph.ts';
import { median, timeRuns } from './stats.ts';

interface InferenceRow {
  arch: Architecture;
  backend: string;
  batch: number;
  params: number;
  gflopsPerImage: number;
  medianMsPerBatch: number;
  msPerImage: number;
  imagesPerSecond: number;
  effectiveGflops: number;
  percentOfPeak: number;
  runs: number;
  checkpoint: string;
}

/** Network forward pass only (logits out), at the model's 256×192 input, for each architecture and backend. */
export async function benchInference(opts: { peakGflops: number; runs: number; batches: number[] }): Promise<InferenceRow[]> {
  const tfBackend = await initTf();
  const rows: InferenceRow[] = [];
  for (const arch of ARCHITECTURES) {
    const dir = path.join(config.checkpointsDir, arch);
    const shipped = existsSync(path.join(dir, 'weights.bin'));
    const model: SegmentationModel = shipped ? await loadCheckpoint(dir) : createModel(arch);
    const { inputWidth: W, inputHeight: H } = model.config;
    const gflops = countGflops(model.config);
    const params = countParams(model.params);
    const add = (backend: string, batch: number, times: number[]) => {
      const ms = median(times);
      const perImage = ms / batch;
      const eff = (gflops * batch) / (ms / 1000);
      rows.push({
        arch,
        backend,
        batch,
        params,
        gflopsPerImage: +gflops.toFixed(3),
        medianMsPerBatch: +ms.toFixed(2),
        msPerImage: +perImage.toFixed(2),
        imagesPerSecond: +(1000 / perImage).toFixed(1),
        effectiveGflops: +eff.toFixed(1),
        percentOfPeak: +((100 * eff) / opts.peakGflops).toFixed(1),
        runs: times.length,
        checkpoint: shipped ? dir : 'fresh init',
      });
    };
    // ONNX Runtime (exported from the same weights).
    const onnxFile = shipped ? (await exportOnnx(dir)).file : null;
    if (onnxFile) {
      const session = await ort.InferenceSession.create(onnxFile, { intraOpNumThreads: 0, graphOptimizationLevel: 'all' });
      for (const batch of opts.batches) {
        const image = new ort.Tensor(
          'float32',
          new Float32Array(batch * H * W * 3).map(() => Math.random() * 2 - 1),
          [batch, H, W, 3],
        );
        const outSize = new ort.Tensor('int64', BigInt64Array.from([BigInt(H), BigInt(W)]), [2]);
        add('onnxruntime-cpu', batch, await timeRuns(() => session.run({ image, out_size: outSize }, ['logits']), { warmup: 3, runs: opts.runs }));
      }
      await session.release();
    }
    // TF.js on whatever backend this process has (wasm here; tensorflow with tfjs-node-gpu).
    for (const batch of opts.batches) {
      const x = tf.randomUniform([batch, H, W, 3], -1, 1) as tf.Tensor4D;
      const runs = opts.runs;
      add(
        `tfjs-${tfBackend}`,
        batch,
        await timeRuns(
          async () => {
            const y = model.logits(x);
            await y.data();
            y.dispose();
          },
          { warmup: 2, runs },
        ),
      );
      x.dispose();
    }
    model.dispose();
  }
  return rows;
}

/**
 * The network the ≥ 70%-of-peak target was set on: U-Net width 16 at 256×256 (7.0 GFLOP,
 * freshly initialised: speed depends on shapes, not weights), exported through the same
 * ONNX path. The shipped width-8 networks have 8–16-channel layers that no GEMM keeps busy.
 */
export async function benchReferenceUnet(opts: { peakGflops: number; runs: number; batches: number[] }): Promise<InferenceRow[]> {
  await initTf();
  const model = createModel('unet', { width: 16, inputWidth: 256, inputHeight: 256 });
  const bytes = buildOnnxModel({ params: model.params, config: model.config, metadata: {} });
  const gflops = countGflops(model.config);
  const params = countParams(model.params);
  model.dispose();
  const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 0, graphOptimizationLevel: 'all' });
  const rows: InferenceRow[] = [];
  for (const batch of opts.batches) {
    const image = new ort.Tensor(
      'float32',
      new Float32Array(batch * 256 * 256 * 3).map(() => Math.random() * 2 - 1),
      [batch, 256, 256, 3],
    );
    const outSize = new ort.Tensor('int64', BigInt64Array.from([256n, 256n]), [2]);
    const times = await timeRuns(() => session.run({ image, out_size: outSize }, ['logits']), { warmup: 3, runs: opts.runs });
    const ms = median(times);
    const eff = (gflops * batch) / (ms / 1000);
    rows.push({
      arch: 'unet',
      backend: 'onnxruntime-cpu',
      batch,
      params,
      gflopsPerImage: +gflops.toFixed(3),
      medianMsPerBatch: +ms.toFixed(2),
      msPerImage: +(ms / batch).toFixed(2),
      imagesPerSecond: +((1000 * batch) / ms).toFixed(1),
      effectiveGflops: +eff.toFixed(1),
      percentOfPeak: +((100 * eff) / opts.peakGflops).toFixed(1),
      runs: times.length,
      checkpoint: 'reference: width 16, 256×256, fresh init',
    });
  }
  await session.release();
  return rows;
}

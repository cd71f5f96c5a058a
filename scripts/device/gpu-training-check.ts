// The ORT training graphs on a GPU: for each architecture at the two bench settings, one training
// step (forward, loss, backward, batch statistics) on ONNX Runtime's CPU provider and on a GPU
// provider, from the same weights and the same batch. Prints per provider the median step time and
// the largest relative difference of the loss and of any parameter's gradient between the two.
//
//   npx tsx scripts/device/gpu-training-check.ts [--provider webgpu|cuda] [--runs N] [--json FILE]
//
// On a machine without a GPU provider the GPU rows say why the provider did not start, so the
// check is also a record of what a machine offers. Bundled with esbuild (external onnxruntime-node)
// it runs where only node and onnxruntime-node are installed: see docs/training.md, "Training on a GPU".
import * as tf from '@tensorflow/tfjs';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ARCHITECTURES } from '../../models/config.ts';
import { createModel } from '../../models/create-model.ts';
import { countGflops } from '../../models/flops.ts';
import { relativeError, worstGradient } from '../../server/training/gradient-error.ts';
import { buildTrainingGraph } from '../../server/training/ort-train-graph.ts';
import { ORT_PROVIDERS, type OrtProvider } from '../../server/config.ts';
import { nchwcBlockSize, OrtTrainer } from '../../server/training/ort-trainer.ts';
import { median, table, timeRuns } from '../bench/stats.ts';
import { randomBatch, TRAINING_SETTINGS } from '../bench/training.ts';

const { values: args } = parseArgs({
  options: { provider: { type: 'string', default: 'webgpu' }, runs: { type: 'string', default: '10' }, json: { type: 'string' } },
});
const provider = ORT_PROVIDERS.find((p) => p === args.provider && p !== 'cpu');
if (!provider) throw new Error(`--provider must be one of ${ORT_PROVIDERS.filter((p) => p !== 'cpu').join(', ')}`);
const runs = Number(args.runs);
const cpuThreads = os.availableParallelism();
// TF.js only draws the initial weights here (createModel): its plain CPU backend needs no files.
await tf.setBackend('cpu');

function cosine(a: ReadonlyMap<string, Float32Array>, b: ReadonlyMap<string, Float32Array>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const [k, y] of b) {
    const x = a.get(k)!;
    for (let i = 0; i < y.length; i++) {
      dot += x[i] * y[i];
      na += x[i] * x[i];
      nb += y[i] * y[i];
    }
  }
  return dot / Math.sqrt(na * nb);
}

interface Row {
  arch: string;
  setting: string;
  provider: OrtProvider;
  secondsPerStep: number | null;
  trainingGflops: number | null;
  lossRelError?: number;
  worstGradRelError?: number;
  worstGradParam?: string;
  medianGradRelError?: number;
  /** Cosine between the whole gradient vectors (all parameters concatenated). */
  gradCosine?: number;
  /** The same error between the CPU's two pooling forms: what the reference itself varies by. */
  cpuWindowGradRelError?: number;
  error?: string;
}

const rows: Row[] = [];
const cpuBlock = await nchwcBlockSize();
for (const arch of ARCHITECTURES) {
  for (const st of TRAINING_SETTINGS) {
    const setting = `w${st.width} b${st.batch} ${st.width_px}×${st.height}`;
    const model = createModel(arch, { width: st.width }, 1);
    const shapes = new Map([...model.params].map(([k, v]) => [k, v.shape]));
    const params = new Map([...model.params].map(([k, v]) => [k, Float32Array.from(v.dataSync() as Float32Array)]));
    model.dispose();
    // The CPU runs the graph it trains with (pooling indices, blocked convs); GPU providers get
    // max-pooling by windows (ORT's WebGPU provider has no MaxPool indices) and plain convs, which
    // the gradient tests hold to the same reference.
    const graphFor = (p: OrtProvider) =>
      buildTrainingGraph({
        config: model.config,
        paramShapes: shapes,
        batch: st.batch,
        height: st.height,
        width: st.width_px,
        pooling: p === 'cpu' ? 'indices' : 'window',
        nchwcBlock: p === 'cpu' ? cpuBlock : null,
      });
    const batch = randomBatch(st.batch, st.height, st.width_px);
    const input = { images: batch.images, labels: batch.labels, classWeights: new Float32Array(13).fill(1), params };
    const gflopsPerStep = 3 * countGflops(model.config, st.width_px, st.height) * st.batch;
    const dims = { n: st.batch, h: st.height, w: st.width_px };

    const measure = async (p: OrtProvider) => {
      const trainer = await OrtTrainer.create(graphFor(p), dims, cpuThreads, p);
      try {
        const t0 = performance.now();
        const out = await trainer.step(input, shapes);
        // A provider that falls back to the CPU for much of the graph can take seconds per step:
        // then fewer timed steps, so the check stays within a lent machine's minutes.
        const n = Math.max(2, Math.min(runs, Math.floor(20_000 / (performance.now() - t0))));
        const ms = median(await timeRuns(() => trainer.step(input, shapes), { warmup: 1, runs: n }));
        return { out, seconds: ms / 1000 };
      } finally {
        await trainer.dispose();
      }
    };
    const cpu = await measure('cpu');
    rows.push({ arch, setting, provider: 'cpu', secondsPerStep: +cpu.seconds.toFixed(4), trainingGflops: +(gflopsPerStep / cpu.seconds).toFixed(1) });
    try {
      const gpu = await measure(provider);
      const worst = worstGradient(gpu.out.grads, cpu.out.grads);
      const cpuWindow = await OrtTrainer.create(graphFor(provider), dims, cpuThreads, 'cpu');
      const windowOut = await cpuWindow.step(input, shapes);
      await cpuWindow.dispose();
      rows.push({
        arch,
        setting,
        provider,
        secondsPerStep: +gpu.seconds.toFixed(4),
        trainingGflops: +(gflopsPerStep / gpu.seconds).toFixed(1),
        lossRelError: Math.abs(gpu.out.loss - cpu.out.loss) / Math.abs(cpu.out.loss),
        worstGradRelError: worst.error,
        worstGradParam: worst.name,
        medianGradRelError: median([...cpu.out.grads].map(([k, g]) => relativeError(gpu.out.grads.get(k)!, g))),
        gradCosine: cosine(gpu.out.grads, cpu.out.grads),
        cpuWindowGradRelError: worstGradient(windowOut.grads, cpu.out.grads).error,
      });
    } catch (e) {
      rows.push({ arch, setting, provider, secondsPerStep: null, trainingGflops: null, error: (e as Error).message.split('\n')[0].slice(-160) });
    }
    console.log(JSON.stringify(rows.at(-2)), '\n', JSON.stringify(rows.at(-1)));
  }
}

console.log(
  `\nORT training step, CPU provider (${cpuThreads} threads) vs ${provider}; gradient error = max|gpu − cpu| / max|cpu| over the worst parameter tensor\n`,
);
console.log(
  table(
    rows.map((r) => ({
      arch: r.arch,
      setting: r.setting,
      provider: r.provider,
      's/step': r.secondsPerStep ?? '—',
      'GFLOP/s': r.trainingGflops ?? '—',
      'loss rel err': r.lossRelError?.toExponential(1) ?? '',
      'worst grad rel err': r.worstGradRelError !== undefined ? `${r.worstGradRelError.toExponential(1)} ${r.worstGradParam}` : '',
      'median grad rel err': r.medianGradRelError?.toExponential(1) ?? '',
      'grad cosine': r.gradCosine?.toFixed(6) ?? '',
      'CPU window vs indices': r.cpuWindowGradRelError?.toExponential(1) ?? '',
      note: r.error ?? '',
    })),
  ),
);
if (args.json) writeFileSync(args.json, JSON.stringify({ cpuThreads, provider, rows }, null, 2));
process.exit(0);

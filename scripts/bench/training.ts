import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARCHITECTURES, type Architecture } from '../../models/config.ts';
import { createModel } from '../../models/create-model.ts';
import { countGflops } from '../../models/flops.ts';
import { validateConfig } from '../../models/validate-config.ts';
import { initTf } from '../../server/tf/runtime.ts';
import { AdamW } from '../../server/training/adamw.ts';
import type { Batch } from '../../server/training/augment.ts';
import { createTrainingEngine } from '../../server/training/create-training-engine.ts';
import type { TrainingEngineName } from '../../server/training/engine.ts';
import { median, timeRuns } from './stats.ts';

/** The two settings the engines are compared at: today's shipped recipe and the retraining one. */
export const TRAINING_SETTINGS = [
  { width: 8, batch: 8, height: 128, width_px: 128 },
  { width: 16, batch: 8, height: 192, width_px: 256 },
] as const;

interface TrainingBenchRow {
  arch: Architecture;
  engine: TrainingEngineName;
  device: string;
  setting: string;
  secondsPerStep: number | null;
  imagesPerSecond: number | null;
  /** Forward + backward, counted as 3× the forward pass's multiply-adds ×2. */
  trainingGflopsPerStep: number;
  effectiveGflops: number | null;
  percentOfPeak?: number | null;
  error?: string;
}

/**
 * Largest batch × pixels × width the wasm backend's 4 GiB heap trains (measured: w8 b8 128×128
 * runs; w16 b8 256×192 aborts the module).
 */
const WASM_HEAP_LIMIT = 16 * 8 * 128 * 128 * 4;

export function randomBatch(n: number, height: number, width: number): Batch {
  let s = 12345;
  const next = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return {
    images: Float32Array.from({ length: n * height * width * 3 }, () => next() * 4 - 2),
    labels: Int32Array.from({ length: n * height * width }, () => (next() < 0.05 ? 255 : Math.floor(next() * 13))),
    n,
    height,
    width,
  };
}

/**
 * One training step (forward, loss, backward, AdamW, running statistics) per engine, architecture
 * and setting: the median of `runs` steps after warm-up. The TF.js engine is slow, so it gets fewer.
 */
export async function benchTraining(opts: { ortRuns: number; tfjsRuns: number }): Promise<TrainingBenchRow[]> {
  const rows: TrainingBenchRow[] = [];
  for (const arch of ARCHITECTURES) {
    for (const st of TRAINING_SETTINGS) {
      rows.push(await measureStep(arch, st, 'ort', opts.ortRuns));
      // TF.js in a child process: its wasm backend aborts the whole process when the 4 GiB heap
      // runs out, which must not take the other rows with it.
      rows.push(measureInChild(arch, st, opts.tfjsRuns));
    }
  }
  return rows;
}

type Setting = (typeof TRAINING_SETTINGS)[number];
const settingLabel = (st: Setting) => `w${st.width} b${st.batch} ${st.width_px}×${st.height}`;

/** One engine's median step time for one architecture and setting. */
export async function measureStep(arch: Architecture, st: Setting, engineName: TrainingEngineName, runs: number): Promise<TrainingBenchRow> {
  const tfBackend = await initTf(); // model parameters are TF.js variables whichever engine steps
  const setting = settingLabel(st);
  const model = createModel(arch, { width: st.width }, 1);
  const gflops = +(3 * countGflops(model.config, st.width_px, st.height) * st.batch).toFixed(2);
  const failed = (device: string, error: string): TrainingBenchRow => ({
    arch,
    engine: engineName,
    device,
    setting,
    secondsPerStep: null,
    imagesPerSecond: null,
    trainingGflopsPerStep: gflops,
    effectiveGflops: null,
    error,
  });
  if (engineName === 'tfjs' && tfBackend === 'wasm' && st.width_px * st.height * st.width * st.batch > WASM_HEAP_LIMIT) {
    model.dispose();
    return failed('tfjs-wasm', 'does not fit the wasm heap (4 GiB)');
  }
  let engine;
  try {
    engine = await createTrainingEngine(engineName, {
      model,
      optimizer: new AdamW(),
      classWeights: new Array(13).fill(1),
      batch: { n: st.batch, height: st.height, width: st.width_px },
    });
    const batch = randomBatch(st.batch, st.height, st.width_px);
    const ms = median(await timeRuns(() => engine!.step(batch, 1e-4), { warmup: engineName === 'ort' ? 3 : 1, runs }));
    console.log(`  ${arch} ${setting} ${engine.device}: ${(ms / 1000).toFixed(3)} s/step`);
    return {
      arch,
      engine: engineName,
      device: engine.device,
      setting,
      secondsPerStep: +(ms / 1000).toFixed(3),
      imagesPerSecond: +((st.batch * 1000) / ms).toFixed(1),
      trainingGflopsPerStep: gflops,
      effectiveGflops: +(gflops / (ms / 1000)).toFixed(1),
    };
  } catch (e) {
    return failed(engine?.device ?? engineName, (e as Error).message.split('\n')[0].slice(0, 120));
  } finally {
    await engine?.dispose();
    model.dispose();
  }
}

function measureInChild(arch: Architecture, st: Setting, runs: number): TrainingBenchRow {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'training-step-child.ts');
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, arch, String(TRAINING_SETTINGS.indexOf(st)), String(runs)], {
    encoding: 'utf8',
    timeout: 600_000,
  });
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  if (r.status === 0 && last.startsWith('{')) return JSON.parse(last) as TrainingBenchRow;
  const gflops = +(3 * countGflops(validateConfig(arch, { width: st.width }), st.width_px, st.height) * st.batch).toFixed(2);
  return {
    arch,
    engine: 'tfjs',
    device: 'tfjs',
    setting: settingLabel(st),
    secondsPerStep: null,
    imagesPerSecond: null,
    trainingGflopsPerStep: gflops,
    effectiveGflops: null,
    error: `child process failed (exit ${r.status})`,
  };
}

/**
 * The same U-Net step in PyTorch on this machine, when Debian's python3-torch is installed: a
 * peer measured in the same run (never a dependency of the product). Null when absent.
 */
export function benchTorchPeer(): { setting: string; secondsPerStep: number }[] | null {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'torch-unet-step.py');
  // Debian's python3-torch lives beside the system interpreter, which a pyenv shim may shadow on PATH.
  for (const python of ['/usr/bin/python3', 'python3']) {
    const r = spawnSync(python, [script], { encoding: 'utf8', timeout: 600_000 });
    if (r.status === 0) return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { setting: string; secondsPerStep: number }[];
  }
  return null;
}

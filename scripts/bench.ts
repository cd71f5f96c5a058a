// `npm run bench`: inference (per architecture and backend, batch 1 and 8, vs a GEMM peak
// measured in the same run), evaluation throughput end to end vs raw, and dashboard
// response times on a throw-away database with 1,000 runs and 200,000 prediction rows.
// Training steps of both engines (ORT and TF.js) against a GEMM peak and, where installed, PyTorch,
// `data check` / `data import` at 479 and 4,790 frames (wall time, peak memory), and the U-Net's
// fp16 and int8 variants against fp32 (made and evaluated in a throw-away database).
// Writes bench-results/latest.json and prints tables.  Options: --only inference|training|eval|quality|dashboard|data|variants
import '../server/inference/tfjs-support.ts';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ARCH_LABEL } from '../models/config.ts';
import { config, databaseUrl, setDatabaseUrl } from '../server/config.ts';
import { startEmbeddedPostgres } from '../server/db/embedded-postgres.ts';
import { applyMigrations } from '../server/db/migrate.ts';
import { disconnectDb } from '../server/db/client.ts';
import { stopBoss } from '../server/jobs/boss.ts';
import { disposeSegmenters } from '../server/inference/segmenter.ts';
import { benchDashboardTargets } from './bench/targets.ts';
import { seedDashboardLoad, timePages } from './bench/dashboard.ts';
import { benchData } from './bench/data.ts';
import { benchEvaluation } from './bench/evaluation.ts';
import { bestPeak, measureGemmPeak } from './bench/gemm-peak.ts';
import { benchInference, benchReferenceUnet } from './bench/inference.ts';
import { benchTorchPeer, benchTraining } from './bench/training.ts';
import { table } from './bench/stats.ts';
import { benchVariants } from './bench/variants.ts';
import { benchQualityCost } from './bench/quality-cost.ts';

process.env.CHECKPOINT_DISABLE ??= '1';
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
const want = (s: string) => !only || only === s;
const result: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version },
};

async function withThrowAwayDb<T>(name: string, port: number, fn: (url: string) => Promise<T>): Promise<T> {
  const dir = path.resolve(`.pixeldrive/pgdata-bench-${name}`);
  await rm(dir, { recursive: true, force: true });
  const db = await startEmbeddedPostgres({ dir, port });
  const prev = databaseUrl();
  setDatabaseUrl(db.url);
  try {
    await applyMigrations(db.url);
    return await fn(db.url);
  } finally {
    await stopBoss({ graceful: false, timeout: 2000 });
    await disconnectDb();
    await db.stop();
    await rm(dir, { recursive: true, force: true });
    setDatabaseUrl(prev);
  }
}

if (want('inference')) {
  const before = await measureGemmPeak();
  const rows = await benchInference({ peakGflops: before.gflops, runs: 20, batches: [1, 8] });
  const reference = await benchReferenceUnet({ peakGflops: before.gflops, runs: 20, batches: [1, 8] });
  const after = await measureGemmPeak();
  const peak = bestPeak([before, after]);
  for (const r of [...rows, ...reference]) r.percentOfPeak = +((100 * r.effectiveGflops) / peak.gflops).toFixed(1);
  result.gemmPeak = { ...peak, before: +before.gflops.toFixed(1), after: +after.gflops.toFixed(1) };
  console.log(
    `\nGEMM peak (ONNX Runtime MatMul, fp32, best of 30 at 1024 and 2048, before and after the networks): ${peak.gflops.toFixed(1)} GFLOP/s at ${peak.n} (before ${before.gflops.toFixed(1)}, after ${after.gflops.toFixed(1)})`,
  );
  result.inference = rows;
  result.referenceUnet = reference;
  const fmt = (r: (typeof rows)[number], name: string) => ({
    model: name,
    backend: r.backend,
    batch: r.batch,
    params: r.params.toLocaleString('en-US'),
    'GFLOP/img': r.gflopsPerImage,
    'ms/img': r.msPerImage,
    'img/s': r.imagesPerSecond,
    'GFLOP/s': r.effectiveGflops,
    '% of peak': r.percentOfPeak,
  });
  console.log('\nInference, network forward pass at 256×192, shipped checkpoints (median of 20 runs after warm-up)\n');
  console.log(table([...rows.map((r) => fmt(r, ARCH_LABEL[r.arch])), ...reference.map((r) => fmt(r, 'U-Net w16 256×256 (reference)'))]));
}

if (want('training')) {
  const before = await measureGemmPeak();
  const rows = await benchTraining({ ortRuns: 10, tfjsRuns: 3 });
  const after = await measureGemmPeak();
  const peak = bestPeak([before, after]);
  for (const r of rows) r.percentOfPeak = r.effectiveGflops === null ? null : +((100 * r.effectiveGflops) / peak.gflops).toFixed(1);
  const torch = benchTorchPeer();
  result.training = { gemmPeak: { ...peak, before: +before.gflops.toFixed(1), after: +after.gflops.toFixed(1) }, rows, torchPeer: torch };
  console.log(`\nTraining step (forward, loss, backward, AdamW), median after warm-up; GEMM peak ${peak.gflops.toFixed(1)} GFLOP/s in the same run\n`);
  const tfjs = (r: (typeof rows)[number]) => rows.find((o) => o.arch === r.arch && o.setting === r.setting && o.engine === 'tfjs')?.secondsPerStep;
  console.log(
    table(
      rows.map((r) => ({
        model: ARCH_LABEL[r.arch],
        setting: r.setting,
        engine: r.device,
        's/step': r.secondsPerStep ?? (r.error ? `failed: ${r.error}` : '—'),
        'img/s': r.imagesPerSecond ?? '—',
        'GFLOP/step': r.trainingGflopsPerStep,
        'GFLOP/s': r.effectiveGflops ?? '—',
        '% of peak': r.percentOfPeak ?? '—',
        'vs TF.js': r.engine === 'ort' && r.secondsPerStep && tfjs(r) ? `${(tfjs(r)! / r.secondsPerStep).toFixed(1)}×` : '',
      })),
    ),
  );
  if (torch)
    console.log(`\nPyTorch ${'(python3-torch, 2 threads, same U-Net step)'}: ${torch.map((t) => `${t.setting} ${t.secondsPerStep} s/step`).join(', ')}`);
  else console.log('\nPyTorch peer not run (python3-torch not installed: apt-get install -y python3-torch)');
}

if (want('eval')) {
  const r = await withThrowAwayDb('eval', 54379, () => benchEvaluation('unet'));
  result.evaluation = r;
  console.log('\nEvaluation throughput (carla-drive val, 80 frames at 800×600)\n');
  console.log(
    table([
      {
        model: ARCH_LABEL.unet,
        backend: r.backend,
        'raw img/s': r.rawImagesPerSecond,
        'end-to-end img/s': r.endToEndImagesPerSecond,
        '% of raw': r.percentOfRaw,
        'incl. queue pick-up img/s': r.wallImagesPerSecond,
      },
    ]),
  );
  console.log(`\nraw: ${r.rawSequentialImagesPerSecond} img/s one batch at a time, ${r.rawPipelinedImagesPerSecond} with two in flight`);
  console.log(`machine CPU per image (${r.cpu.cores} cores, all processes): raw ${r.cpu.rawMsPerImage} ms, end-to-end ${r.cpu.endToEndMsPerImage} ms`);
}

if (want('quality')) {
  const r = await benchQualityCost();
  result.qualityCost = r;
  console.log(
    `\nCalibration + boundary IoU (on by default), ${ARCH_LABEL.unet} on carla-drive val (${r.frames} frames at 800×600), median of ${r.rounds} interleaved rounds\n`,
  );
  console.log(
    table([
      {
        backend: r.backend,
        'off ms/frame': r.offMsPerFrame,
        'on ms/frame': r.onMsPerFrame,
        'added ms/frame': r.addedMsPerFrame,
        'of which inference': r.addedInferenceMs,
        'of which counts': r.addedCountsMs,
        'CPU ms/frame off/on': `${r.offCpuMsPerFrame}/${r.onCpuMsPerFrame}`,
        'stored counts bytes off/on': `${r.countsBytesOff}/${r.countsBytesOn}`,
      },
    ]),
  );
}

if (want('dashboard')) {
  const timings = await withThrowAwayDb('dashboard', 54389, async (url) => {
    const t0 = Date.now();
    const seed = await seedDashboardLoad({ runs: 1000, predictions: 200_000 });
    console.log(
      `\nseeded ${seed.runs.toLocaleString('en-US')} evaluation runs and ${seed.predictions.toLocaleString('en-US')} prediction rows in ${((Date.now() - t0) / 1000).toFixed(0)} s (throw-away database)`,
    );
    return timePages(url, benchDashboardTargets(seed));
  });
  result.dashboard = timings;
  console.log('\nDashboard server response (next start; first request, then 40 requests each after warm-up)\n');
  console.log(
    table(
      timings.map((t) => ({ page: t.page, first: `${t.firstMs} ms`, p50: `${t.p50Ms} ms`, p95: `${t.p95Ms} ms`, '≤ 100 ms': t.p95Ms <= 100 ? 'yes' : 'NO' })),
    ),
  );
}

if (want('data')) {
  const copies = 10;
  const r = await withThrowAwayDb('data', 54399, () => benchData({ dataDir: config.dataDir, copies, workDir: path.resolve('.pixeldrive/bench-data') }));
  result.data = r;
  console.log(
    `\nDatasets: data check / data import of carla-drive and of ${copies}x its frames (symlinked copies), one CLI process each (wall includes start-up)\n`,
  );
  console.log(
    table(
      r.rows.map((x) => ({
        command: x.command,
        frames: x.frames.toLocaleString('en-US'),
        'wall s': x.wallSeconds,
        'frames/s': x.framesPerSecond,
        'peak RSS MB': x.peakRssMB,
      })),
    ),
  );
  console.log(`\npeak RSS at ${copies}x the frames / at 1x: check ${r.rssRatio.check}, import ${r.rssRatio.import}`);
}

if (want('variants')) {
  const rows = await withThrowAwayDb('variants', 54369, () => benchVariants('unet', { rounds: 40 }));
  result.variants = rows;
  const p = (v: number) => (v * 100).toFixed(2);
  const signed = (v: number) => `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(2)}`;
  console.log(
    '\nU-Net variants: file, forward pass (batch 1, 256×192, median of 40 interleaved rounds), carla-drive val mIoU with 95% CI, paired difference to fp32\n',
  );
  console.log(
    table(
      rows.map((r) => ({
        model: r.model,
        file: `${(r.fileBytes / 1024).toFixed(1)} KiB`,
        'smaller than fp32': `${r.smallerThanFp32}×`,
        'ms/img': r.msPerImage,
        'val mIoU': `${p(r.miou)} [${p(r.miouLow)}, ${p(r.miouHigh)}]`,
        'Δ vs fp32 (paired 95% CI)': r.vsFp32
          ? `${signed(r.vsFp32.estimate)} [${signed(r.vsFp32.low)}, ${signed(r.vsFp32.high)}], p = ${r.vsFp32.pValue.toFixed(3)}`
          : '—',
      })),
    ),
  );
}

await disposeSegmenters();
await mkdir('bench-results', { recursive: true });
const file = path.join('bench-results', only ? `latest-${only}.json` : 'latest.json');
await writeFile(file, JSON.stringify(result, null, 1));
console.log(`\nwrote ${file}`);
process.exit(0);

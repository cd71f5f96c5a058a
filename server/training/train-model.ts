import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { NUM_CLASSES } from '../../models/classes.ts';
import { initTf } from '../tf/runtime.ts';
import type { Architecture } from '../../models/config.ts';
import { countParams, createModel, type SegmentationModel } from '../../models/create-model.ts';
import { loadCheckpoint, saveCheckpoint } from '../../models/checkpoint-io.ts';
import { loadFrame, scanDataset, type DatasetFrame, type LoadedFrame, type ScannedDataset } from '../dataset/read-dataset.ts';
import { accumulateConfusion, emptyConfusion } from '../metrics/confusion-matrix.ts';
import { computeMetrics } from '../metrics/class-metrics.ts';
import { AdamW, cosineLr } from './adamw.ts';
import { rng, shuffle } from '../random.ts';
import type { WeatherOptions } from './weather.ts';
import { describeAugmentation, makeEvalBatch, makeTrainingBatch, trainingAugmentation, type PhotometricOptions, type ScaleOptions } from './augment.ts';
import { carveSelectionSplit, DEFAULT_SELECTION, type SelectionSplitOptions } from './selection-split.ts';
import { medianFrequencyWeights } from './class-weights.ts';
import { describeLoss, type HardPixelMining, type LovaszTerm } from './ingredients.ts';
import { createTrainingEngine } from './create-training-engine.ts';
import { isEncoderParam } from '../../models/backbones/pretrained-encoder.ts';
import type { OrtProvider } from '../config.ts';
import type { TrainingEngine, TrainingEngineName } from './engine.ts';

export interface TrainOptions {
  arch: Architecture;
  modelConfig?: Record<string, unknown>;
  datasetRoot: string;
  /** Where the best checkpoint, its history and card go. */
  outDir: string;
  /** Per-epoch state for resuming (last weights + optimiser moments). */
  stateDir: string;
  epochs: number;
  batchSize: number;
  cropWidth: number;
  cropHeight: number;
  maxLr: number;
  /** The encoder's learning rate as a multiple of `maxLr`'s schedule (a pretrained encoder moves slower than its new decoder); 1 when absent. */
  encoderLr?: number;
  weightDecay: number;
  warmupEpochs: number;
  seed: number;
  resume: boolean;
  /** Training blocks held out to choose the best epoch on (val is never chosen on). */
  selection?: SelectionSplitOptions;
  /** Photometric augmentation beyond flip and brightness (absent = none). */
  photometric?: PhotometricOptions;
  /** Weather variation: colour temperature, wet road, haze, rain, blur (absent = none). */
  weather?: WeatherOptions;
  /** Random-scale crops (augment.ts); none when absent. */
  scale?: ScaleOptions;
  /** Where the steps run: 'auto' = ONNX Runtime where it loads, TF.js otherwise. */
  engine: TrainingEngineName | 'auto';
  /** Online hard-pixel mining on top of the cross-entropy (loss.ts); none when absent. */
  mining?: HardPixelMining;
  /** A Lovász-softmax term added to the cross-entropy (loss.ts); none when absent. */
  lovasz?: LovaszTerm;
  /** The ORT engine's execution provider (PIXELDRIVE_ORT_PROVIDER); 'cpu' when absent. */
  ortProvider?: OrtProvider;
  /** Called once the engine is up, with its description (e.g. to show it on a running run). */
  onStart?: (info: { engine: string }) => Promise<void>;
  onStep?: (p: { epoch: number; step: number; stepsPerEpoch: number; loss: number }) => void;
  onEpoch?: (r: EpochRecord, ctx: TrainContext) => Promise<void>;
  /** Polled between steps; true stops after the current step (state of the last epoch is kept). */
  shouldStop?: () => boolean | Promise<boolean>;
  /** Asked once after a stop with at least one epoch done: true keeps the best epoch so far as the result (evaluated on val like a finished run). */
  keepBestWhenStopped?: () => boolean | Promise<boolean>;
}

/** One epoch of training. The `val*` fields are measured on the SELECTION split (held-out training blocks), which chooses the best epoch. */
interface EpochRecord {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  valMiou: number;
  valPixelAccuracy: number;
  valPerClassIou: number[];
  lr: number;
  seconds: number;
  isBest: boolean;
}

interface TrainContext {
  dataset: ScannedDataset;
  params: number;
  classWeights: number[];
  startedAt: number;
}

export interface TrainResult {
  history: EpochRecord[];
  bestEpoch: number;
  bestValMiou: number;
  wallSeconds: number;
  classWeights: number[];
  params: number;
  dataset: ScannedDataset;
  stopped: boolean;
  /** Stopped, and the best epoch so far kept as the result ("Stop and keep best"). */
  keptBest: boolean;
  /** The engine that ran the steps and where (e.g. "ort (onnxruntime-cpu, 2 threads)"). */
  engine: string;
  /** The held-out training blocks the best epoch was chosen on. */
  selection: SelectionSplitOptions & { frames: number; blocks: number[] };
  /** What the batches were augmented with, in words (for the card). */
  augmentation: string;
  /** The training loss, in words (for the card). */
  loss: string;
  /** Frames trained on (the train split less the selection blocks). */
  trainFrames: number;
  /** The encoder's learning-rate multiplier (1: the same rate as every other layer). */
  encoderLr: number;
  /** The chosen checkpoint on the val split at the model's input size: evaluated once, never chosen on. */
  val: { miou: number; pixelAccuracy: number; perClassIou: number[] } | null;
}

interface TrainState {
  epochsDone: number;
  optimizerStep: number;
  history: EpochRecord[];
  wallSeconds: number;
  /** What the state was trained with (`recipeOf`); absent in states saved before it was recorded. */
  recipe?: Record<string, unknown>;
}

/**
 * Everything a resumed run must share with the run that saved the state to end with the unbroken
 * run's weights: the network, the schedule (the cosine decay spans `epochs`), the batches and the
 * loss. Not the engine (both apply the same update) nor where the data lies.
 */
function recipeOf(o: TrainOptions): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify({
      arch: o.arch,
      modelConfig: o.modelConfig ?? {},
      epochs: o.epochs,
      batchSize: o.batchSize,
      crop: [o.cropWidth, o.cropHeight],
      maxLr: o.maxLr,
      encoderLr: o.encoderLr ?? null,
      weightDecay: o.weightDecay,
      warmupEpochs: o.warmupEpochs,
      seed: o.seed,
      selection: o.selection ?? null,
      photometric: o.photometric ?? null,
      weather: o.weather ?? null,
      mining: o.mining ?? null,
      lovasz: o.lovasz ?? null,
      scale: o.scale ?? null,
    }),
  );
}

/** Refuses to resume a state saved with other options: the result would match neither run. */
function checkResumable(saved: TrainState, opts: TrainOptions, stateDir: string): void {
  if (!saved.recipe) return;
  const now = recipeOf(opts);
  // An option a state predates reads as absent (null) on both sides, in either direction.
  const at = (r: Record<string, unknown>, k: string) => JSON.stringify(r[k] ?? null);
  const differ = [...new Set([...Object.keys(now), ...Object.keys(saved.recipe)])].filter((k) => at(now, k) !== at(saved.recipe!, k));
  if (differ.length) {
    const show = (v: unknown) => (v === null ? 'none' : JSON.stringify(v));
    throw new Error(
      `the saved training state in ${stateDir} (epoch ${saved.epochsDone}) was trained with other options: ${differ.map((k) => `${k} ${show(saved.recipe![k])}, now ${show(now[k])}`).join('; ')}. Give the same options to resume, or start over (train --fresh)`,
    );
  }
}

/**
 * The one training loop for all three architectures: same split, seed, augmentation,
 * AdamW + cosine schedule and class-weighted cross-entropy from logits. Validation runs
 * on whole frames each epoch with the project's metric code; the best epoch by val mIoU
 * is kept in `outDir`. State is saved every epoch, so a killed run resumes where it was.
 */
export async function trainModel(opts: TrainOptions): Promise<TrainResult> {
  const startedAt = Date.now();
  // Parameters and checkpoints are TF.js variables whichever engine runs the steps.
  await initTf();
  const dataset = await scanDataset(opts.datasetRoot);
  const probe = createModel(opts.arch, opts.modelConfig, opts.seed);
  const size = { width: probe.config.inputWidth, height: probe.config.inputHeight };
  const selectionOptions = opts.selection ?? DEFAULT_SELECTION;
  const split = carveSelectionSplit(dataset, selectionOptions);
  const load = (frames: DatasetFrame[]) => Promise.all(frames.map((f) => loadFrame(dataset, f, size)));
  const [train, selection] = [await load(split.train), await load(split.selection)];
  // Class weights from the frames actually trained on (the selection frames' labels stay unseen).
  const classWeights = medianFrequencyWeights(classPixelCounts(train));
  let model: SegmentationModel = probe;
  let state: TrainState = { epochsDone: 0, optimizerStep: 0, history: [], wallSeconds: 0, recipe: recipeOf(opts) };
  const encoderLr = opts.encoderLr ?? 1;
  const optimizer = new AdamW({
    beta1: 0.9,
    beta2: 0.999,
    epsilon: 1e-8,
    weightDecay: opts.weightDecay,
    ...(encoderLr !== 1 ? { lrScale: (name: string) => (isEncoderParam(name) ? encoderLr : 1) } : {}),
  });
  if (opts.resume && existsSync(path.join(opts.stateDir, 'state.json'))) {
    state = JSON.parse(await readFile(path.join(opts.stateDir, 'state.json'), 'utf8')) as TrainState;
    try {
      checkResumable(state, opts, opts.stateDir);
    } catch (e) {
      probe.dispose();
      throw e;
    }
    probe.dispose();
    model = await loadCheckpoint(path.join(opts.stateDir, 'last'));
    await loadOptimizer(optimizer, model, opts.stateDir, state.optimizerStep);
  } else {
    await rm(opts.stateDir, { recursive: true, force: true });
  }
  const stepsPerEpoch = Math.floor(train.length / opts.batchSize);
  const totalSteps = stepsPerEpoch * opts.epochs;
  const augment = trainingAugmentation(opts);
  const engine = await createTrainingEngine(opts.engine, {
    model,
    optimizer,
    classWeights,
    batch: { n: opts.batchSize, height: opts.cropHeight, width: opts.cropWidth },
    ortProvider: opts.ortProvider,
    mining: opts.mining,
    lovasz: opts.lovasz,
  });
  const ctx: TrainContext = { dataset, params: countParams(model.params), classWeights, startedAt };
  const engineLabel = `${engine.name} (${engine.device})`;
  let stopped = false;

  try {
    await opts.onStart?.({ engine: engineLabel });
    for (let epoch = state.epochsDone; epoch < opts.epochs && !stopped; epoch++) {
      const t0 = Date.now();
      const rand = rng(opts.seed * 1000 + epoch);
      const order = shuffle(train, rand);
      // Batches are cut one step ahead, so the next one is ready when a step returns.
      const batchAt = (s: number) => makeTrainingBatch(order.slice(s * opts.batchSize, (s + 1) * opts.batchSize), augment, rand);
      let next = batchAt(0);
      let lossSum = 0;
      let lr = 0;
      for (let s = 0; s < stepsPerEpoch; s++) {
        lr = cosineLr(epoch * stepsPerEpoch + s, totalSteps, opts.maxLr, opts.warmupEpochs * stepsPerEpoch);
        const pending = engine.step(next, lr);
        if (s + 1 < stepsPerEpoch) next = batchAt(s + 1);
        const l = await pending;
        if (!Number.isFinite(l)) throw new Error(`training diverged: loss ${l} at epoch ${epoch + 1}, step ${s + 1}`);
        lossSum += l;
        opts.onStep?.({ epoch: epoch + 1, step: s + 1, stepsPerEpoch, loss: l });
        if (opts.shouldStop && (await opts.shouldStop())) {
          stopped = true;
          break;
        }
      }
      if (stopped) break;
      const v = await validate(engine, selection);
      const best = state.history.reduce((m, r) => Math.max(m, r.valMiou), -1);
      const record: EpochRecord = {
        epoch: epoch + 1,
        trainLoss: lossSum / stepsPerEpoch,
        valLoss: v.loss,
        valMiou: v.miou,
        valPixelAccuracy: v.pixelAccuracy,
        valPerClassIou: v.perClassIou,
        lr,
        seconds: (Date.now() - t0) / 1000,
        isBest: v.miou > best,
      };
      state.history.push(record);
      state.epochsDone = epoch + 1;
      state.optimizerStep = optimizer.step;
      state.wallSeconds += record.seconds;
      engine.syncToModel();
      if (record.isBest) await saveCheckpoint(opts.outDir, model);
      await saveCheckpoint(path.join(opts.stateDir, 'last'), model);
      await saveOptimizer(optimizer, opts.stateDir);
      await writeFile(path.join(opts.stateDir, 'state.json'), JSON.stringify(state));
      await writeFile(path.join(opts.outDir, 'history.json'), JSON.stringify(state.history, null, 1));
      await opts.onEpoch?.(record, ctx);
    }
  } finally {
    await engine.dispose();
    model.dispose();
  }
  const bestRec = state.history.reduce<EpochRecord | null>((b, r) => (!b || r.valMiou > b.valMiou ? r : b), null);
  const keptBest = stopped && bestRec !== null && (await opts.keepBestWhenStopped?.()) === true;
  const val = bestRec && (!stopped || keptBest) ? await evaluateCheckpoint(opts, dataset, size, classWeights) : null;
  return {
    history: state.history,
    bestEpoch: bestRec?.epoch ?? 0,
    bestValMiou: bestRec?.valMiou ?? Number.NaN,
    wallSeconds: state.wallSeconds,
    classWeights,
    params: ctx.params,
    dataset,
    stopped,
    keptBest,
    engine: engineLabel,
    selection: { ...selectionOptions, frames: selection.length, blocks: split.blocks },
    trainFrames: train.length,
    augmentation: describeAugmentation(augment),
    loss: describeLoss(opts.mining, opts.lovasz),
    encoderLr,
    val,
  };
}

/** The best checkpoint on the val frames, once, after training (reported, never selected on). */
async function evaluateCheckpoint(opts: TrainOptions, dataset: ScannedDataset, size: { width: number; height: number }, classWeights: number[]) {
  const frames = await Promise.all(dataset.frames.filter((f) => f.split === 'val').map((f) => loadFrame(dataset, f, size)));
  if (frames.length === 0) return null;
  const best = await loadCheckpoint(opts.outDir);
  const engine = await createTrainingEngine(opts.engine, {
    model: best,
    optimizer: new AdamW(),
    classWeights,
    batch: { n: 1, height: size.height, width: size.width },
  });
  try {
    const v = await validate(engine, frames);
    return { miou: v.miou, pixelAccuracy: v.pixelAccuracy, perClassIou: v.perClassIou };
  } finally {
    await engine.dispose();
    best.dispose();
  }
}

/** Labelled pixels per class over loaded frames (ignored pixels excluded). */
function classPixelCounts(frames: readonly LoadedFrame[]): number[] {
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  for (const f of frames) for (const v of f.label.data) if (v < NUM_CLASSES) counts[v]++;
  return counts;
}

async function validate(engine: TrainingEngine, frames: LoadedFrame[]) {
  const cm = emptyConfusion(NUM_CLASSES);
  let lossSum = 0;
  const bs = 4;
  const evaluator = await engine.evaluator();
  try {
    for (let i = 0; i < frames.length; i += bs) {
      const batch = makeEvalBatch(frames.slice(i, i + bs));
      const { loss, labels } = await evaluator.evaluate(batch);
      lossSum += loss * batch.n;
      accumulateConfusion(cm, batch.labels, labels);
    }
  } finally {
    await evaluator.dispose();
  }
  const m = computeMetrics(cm);
  return { loss: lossSum / frames.length, miou: m.miou, pixelAccuracy: m.pixelAccuracy, perClassIou: m.perClass.map((c) => c.iou) };
}

/** Optimiser moments as one weights file ('m:<param>', 'v:<param>'), the same for every engine. */
async function saveOptimizer(opt: AdamW, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const named: tf.NamedTensorMap = {};
  for (const [slot, store] of [
    ['m', opt.m],
    ['v', opt.v],
  ] as const) {
    for (const [k, v] of store) named[`${slot}:${k}`] = tf.tensor(v);
  }
  const { data, specs } = await tf.io.encodeWeights(named);
  tf.dispose(Object.values(named));
  await writeFile(path.join(dir, 'optimizer.bin'), new Uint8Array(data as ArrayBuffer));
  await writeFile(path.join(dir, 'optimizer.json'), JSON.stringify(specs));
}

async function loadOptimizer(opt: AdamW, model: SegmentationModel, dir: string, step: number): Promise<void> {
  const specs = JSON.parse(await readFile(path.join(dir, 'optimizer.json'), 'utf8')) as tf.io.WeightsManifestEntry[];
  const buf = await readFile(path.join(dir, 'optimizer.bin'));
  const tensors = tf.io.decodeWeights(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength), specs);
  for (const [k, t] of Object.entries(tensors)) {
    const [slot, name] = [k.slice(0, 1), k.slice(2)];
    if (model.params.has(name)) (slot === 'm' ? opt.m : opt.v).set(name, Float32Array.from(t.dataSync() as Float32Array));
    t.dispose();
  }
  opt.step = step;
}

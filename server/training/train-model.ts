import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { NUM_CLASSES } from '../../models/classes.ts';
import type { Architecture } from '../../models/config.ts';
import { countParams, createModel, forwardGraph, type SegmentationModel } from '../../models/create-model.ts';
import { loadCheckpoint, saveCheckpoint } from '../../models/checkpoint-io.ts';
import { applyBnUpdates, TfOps } from '../../models/tf-ops.ts';
import { loadFrame, scanDataset, type LoadedFrame, type ScannedDataset } from '../dataset/read-dataset.ts';
import { accumulateConfusion, emptyConfusion } from '../metrics/confusion-matrix.ts';
import { computeMetrics } from '../metrics/class-metrics.ts';
import { AdamW, cosineLr } from './adamw.ts';
import { rng, shuffle } from '../random.ts';
import { makeEvalBatch, makeTrainingBatch, type AugmentOptions } from './augment.ts';
import { medianFrequencyWeights } from './class-weights.ts';
import { weightedCrossEntropyFromLogits } from './loss.ts';

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
  weightDecay: number;
  warmupEpochs: number;
  seed: number;
  resume: boolean;
  onStep?: (p: { epoch: number; step: number; stepsPerEpoch: number; loss: number }) => void;
  onEpoch?: (r: EpochRecord, ctx: TrainContext) => Promise<void>;
  /** Polled between steps; true stops after the current step (state of the last epoch is kept). */
  shouldStop?: () => boolean | Promise<boolean>;
}

export interface EpochRecord {
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

export interface TrainContext {
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
}

interface TrainState {
  epochsDone: number;
  optimizerStep: number;
  history: EpochRecord[];
  wallSeconds: number;
}

export const DEFAULT_TRAIN: Omit<TrainOptions, 'arch' | 'datasetRoot' | 'outDir' | 'stateDir'> = {
  epochs: 24,
  batchSize: 8,
  cropWidth: 128,
  cropHeight: 128,
  maxLr: 2e-3,
  weightDecay: 1e-4,
  warmupEpochs: 1,
  seed: 42,
  resume: true,
};

/**
 * The one training loop for all three architectures: same split, seed, augmentation,
 * AdamW + cosine schedule and class-weighted cross-entropy from logits. Validation runs
 * on whole frames each epoch with the project's metric code; the best epoch by val mIoU
 * is kept in `outDir`. State is saved every epoch, so a killed run resumes where it was.
 */
export async function trainModel(opts: TrainOptions): Promise<TrainResult> {
  const startedAt = Date.now();
  const dataset = await scanDataset(opts.datasetRoot);
  const probe = createModel(opts.arch, opts.modelConfig, opts.seed);
  const size = { width: probe.config.inputWidth, height: probe.config.inputHeight };
  const load = (split: 'train' | 'val') =>
    Promise.all(dataset.frames.filter((f) => f.split === split).map((f) => loadFrame(dataset, f, size)));
  const [train, val] = await Promise.all([load('train'), load('val')]);
  if (train.length === 0 || val.length === 0) throw new Error(`${opts.datasetRoot}: need frames in both train and val splits`);

  const classWeights = medianFrequencyWeights(dataset.classPixels.train);
  const weightsT = tf.tensor1d(classWeights);
  let model: SegmentationModel = probe;
  let state: TrainState = { epochsDone: 0, optimizerStep: 0, history: [], wallSeconds: 0 };
  const optimizer = new AdamW({ beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: opts.weightDecay });
  if (opts.resume && existsSync(path.join(opts.stateDir, 'state.json'))) {
    state = JSON.parse(await readFile(path.join(opts.stateDir, 'state.json'), 'utf8')) as TrainState;
    probe.dispose();
    model = await loadCheckpoint(path.join(opts.stateDir, 'last'));
    await loadOptimizer(optimizer, model, opts.stateDir, state.optimizerStep);
  } else {
    await rm(opts.stateDir, { recursive: true, force: true });
  }
  const trainable = new Map([...model.params].filter(([, v]) => v.trainable));
  const stepsPerEpoch = Math.floor(train.length / opts.batchSize);
  const totalSteps = stepsPerEpoch * opts.epochs;
  const augment: AugmentOptions = { cropWidth: opts.cropWidth, cropHeight: opts.cropHeight, flip: true, brightness: 0.2 };
  const ctx: TrainContext = { dataset, params: countParams(model.params), classWeights, startedAt };
  let stopped = false;

  for (let epoch = state.epochsDone; epoch < opts.epochs && !stopped; epoch++) {
    const t0 = Date.now();
    const rand = rng(opts.seed * 1000 + epoch);
    const order = shuffle(train, rand);
    let lossSum = 0;
    let lr = 0;
    for (let s = 0; s < stepsPerEpoch; s++) {
      lr = cosineLr(epoch * stepsPerEpoch + s, totalSteps, opts.maxLr, opts.warmupEpochs * stepsPerEpoch);
      const batch = makeTrainingBatch(order.slice(s * opts.batchSize, (s + 1) * opts.batchSize), augment, rand);
      const ops = new TfOps(model.params, true);
      const loss = tf.tidy(() => {
        const x = tf.tensor4d(batch.images, [batch.n, batch.height, batch.width, 3]);
        const y = tf.tensor3d(batch.labels, [batch.n, batch.height, batch.width], 'int32');
        const { value, grads } = tf.variableGrads(
          () => weightedCrossEntropyFromLogits(forwardGraph(ops, x, model.config), y, weightsT),
          [...trainable.values()],
        );
        optimizer.apply(trainable, grads, lr);
        return value;
      });
      applyBnUpdates(model.params, ops.bnUpdates);
      const l = (await loss.data())[0];
      loss.dispose();
      if (!Number.isFinite(l)) throw new Error(`training diverged: loss ${l} at epoch ${epoch + 1}, step ${s + 1}`);
      lossSum += l;
      opts.onStep?.({ epoch: epoch + 1, step: s + 1, stepsPerEpoch, loss: l });
      if (opts.shouldStop && (await opts.shouldStop())) {
        stopped = true;
        break;
      }
    }
    if (stopped) break;
    const v = await validate(model, val, weightsT);
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
    if (record.isBest) await saveCheckpoint(opts.outDir, model);
    await saveCheckpoint(path.join(opts.stateDir, 'last'), model);
    await saveOptimizer(optimizer, opts.stateDir);
    await writeFile(path.join(opts.stateDir, 'state.json'), JSON.stringify(state));
    await writeFile(path.join(opts.outDir, 'history.json'), JSON.stringify(state.history, null, 1));
    await opts.onEpoch?.(record, ctx);
  }
  weightsT.dispose();
  optimizer.dispose();
  model.dispose();
  const bestRec = state.history.reduce<EpochRecord | null>((b, r) => (!b || r.valMiou > b.valMiou ? r : b), null);
  return {
    history: state.history,
    bestEpoch: bestRec?.epoch ?? 0,
    bestValMiou: bestRec?.valMiou ?? Number.NaN,
    wallSeconds: state.wallSeconds,
    classWeights,
    params: ctx.params,
    dataset,
    stopped,
  };
}

async function validate(model: SegmentationModel, frames: LoadedFrame[], weights: tf.Tensor1D) {
  const cm = emptyConfusion(NUM_CLASSES);
  let lossSum = 0;
  const bs = 4;
  for (let i = 0; i < frames.length; i += bs) {
    const batch = makeEvalBatch(frames.slice(i, i + bs));
    const [lossT, predT] = tf.tidy(() => {
      const x = tf.tensor4d(batch.images, [batch.n, batch.height, batch.width, 3]);
      const y = tf.tensor3d(batch.labels, [batch.n, batch.height, batch.width], 'int32');
      const logits = model.logits(x);
      return [weightedCrossEntropyFromLogits(logits, y, weights), tf.argMax(logits, 3)];
    });
    lossSum += (await lossT.data())[0] * batch.n;
    accumulateConfusion(cm, batch.labels, await predT.data());
    tf.dispose([lossT, predT]);
  }
  const m = computeMetrics(cm);
  return { loss: lossSum / frames.length, miou: m.miou, pixelAccuracy: m.pixelAccuracy, perClassIou: m.perClass.map((c) => c.iou) };
}

async function saveOptimizer(opt: AdamW, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const named: tf.NamedTensorMap = {};
  for (const [k, v] of opt.m) named[`m:${k}`] = v;
  for (const [k, v] of opt.v) named[`v:${k}`] = v;
  const { data, specs } = await tf.io.encodeWeights(named);
  await writeFile(path.join(dir, 'optimizer.bin'), new Uint8Array(data as ArrayBuffer));
  await writeFile(path.join(dir, 'optimizer.json'), JSON.stringify(specs));
}

async function loadOptimizer(opt: AdamW, model: SegmentationModel, dir: string, step: number): Promise<void> {
  const specs = JSON.parse(await readFile(path.join(dir, 'optimizer.json'), 'utf8')) as tf.io.WeightsManifestEntry[];
  const buf = await readFile(path.join(dir, 'optimizer.bin'));
  const tensors = tf.io.decodeWeights(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength), specs);
  for (const [k, t] of Object.entries(tensors)) {
    const [slot, name] = [k.slice(0, 1), k.slice(2)];
    if (!model.params.has(name)) continue;
    (slot === 'm' ? opt.m : opt.v).set(name, tf.variable(t, false));
  }
  opt.step = step;
}

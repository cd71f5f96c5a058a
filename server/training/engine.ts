import type { SegmentationModel } from '../../models/create-model.ts';
import type { OrtProvider } from '../config.ts';
import type { HardPixelMining, LovaszTerm } from './ingredients.ts';
import type { AdamW } from './adamw.ts';
import type { Batch } from './augment.ts';

export const TRAINING_ENGINES = ['ort', 'tfjs'] as const;
export type TrainingEngineName = (typeof TRAINING_ENGINES)[number];

/**
 * What runs a training step: forward in training mode, class-weighted cross-entropy from
 * logits, gradients of every trainable parameter, the shared AdamW update and the running
 * batch-norm statistics. The loop (train-model.ts) is one for all engines and architectures;
 * an engine only decides where the arithmetic happens.
 */
export interface TrainingEngine {
  readonly name: TrainingEngineName;
  /** Where it runs, for cards and logs (e.g. "onnxruntime-cpu, 2 threads", "tfjs-wasm"). */
  readonly device: string;
  /** One optimisation step; returns the batch's loss before the update. */
  step(batch: Batch, lr: number): Promise<number>;
  /** Opens an evaluator over the current weights (whole frames, eval-mode batch norm). */
  evaluator(): Promise<Evaluator>;
  /** Writes the engine's weights and running statistics into the model's variables (checkpointing). */
  syncToModel(): void;
  dispose(): Promise<void>;
}

export interface Evaluator {
  /** Loss and argmax labels [n, h, w] of a batch of whole frames. */
  evaluate(batch: Batch): Promise<{ loss: number; labels: ArrayLike<number> }>;
  dispose(): Promise<void>;
}

export interface EngineOptions {
  model: SegmentationModel;
  optimizer: AdamW;
  classWeights: number[];
  /** Shape of every training batch (the ORT engine builds its graph for it). */
  batch: { n: number; height: number; width: number };
  /** Online hard-pixel mining in the training loss (loss.ts); none when absent. */
  mining?: HardPixelMining;
  /** A Lovász-softmax term in the training loss (loss.ts); none when absent. */
  lovasz?: LovaszTerm;
  /** The ORT engine's execution provider; 'cpu' when absent. */
  ortProvider?: OrtProvider;
}

import { config } from '../config.ts';
import type { TrainOptions } from './train-model.ts';

/**
 * The training recipe's defaults, apart from the loop so that what only needs the numbers (the
 * app's "Start a training run" action, its schema) does not pull TF.js or ONNX Runtime into the
 * web bundle.
 */
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
  engine: config.trainEngine,
};

import { config } from '../config.ts';
import { DEFAULT_PHOTOMETRIC } from './augment.ts';
import type { TrainOptions } from './train-model.ts';

/**
 * The training recipe's defaults, apart from the loop so that what only needs the numbers (the
 * app's "Start a training run" action, its schema) does not pull TF.js or ONNX Runtime into the
 * web bundle. They are the recipe of the shipped checkpoints (README "Results"), so a run started
 * from the app or a bare `train --arch X` trains what the leaderboard shows: whole 256×192 frames,
 * photometric variation, width 16.
 */
export const DEFAULT_TRAIN: Omit<TrainOptions, 'arch' | 'datasetRoot' | 'outDir' | 'stateDir'> = {
  epochs: 20,
  batchSize: 8,
  cropWidth: 256,
  cropHeight: 192,
  photometric: DEFAULT_PHOTOMETRIC,
  maxLr: 2e-3,
  weightDecay: 1e-4,
  warmupEpochs: 1,
  seed: 42,
  resume: true,
  engine: config.trainEngine,
  ortProvider: config.ortProvider,
};

/** Channel width of the shipped recipe (models/config.ts' DEFAULT_WIDTH stays the architectures' smallest sensible default). */
export const DEFAULT_TRAIN_WIDTH = 16;

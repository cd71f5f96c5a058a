import { config } from '../config.ts';
import { ingredientsOf, type IngredientSwitches } from './ingredients.ts';
import type { TrainOptions } from './train-model.ts';
import { ENCODER_ARCHITECTURES, hasEncoder, type Architecture } from '../../models/config.ts';

/**
 * Which training ingredients the recipe switches on: the one definition that the CLI's flags, the
 * app's checkboxes and the loop's options all start from. Photometric variation and the
 * Lovász-softmax term are on; weather variation and hard-pixel mining are off (docs/decisions/0003
 * says by which rule each was kept or dropped; docs/results.md what each scored).
 */
export const RECIPE_INGREDIENTS: Readonly<IngredientSwitches> = { photometric: true, weather: false, ohem: false, lovasz: true, scale: false };

/**
 * The training recipe's defaults, apart from the loop so that what only needs the numbers (the
 * app's "Start a training run" action, its schema) does not pull TF.js or ONNX Runtime into the
 * web bundle. They are the recipe of all three shipped checkpoints (docs/results.md): 40
 * epochs (what fits the 60-minute budget with the Lovász term's longer step), whole 256×192
 * frames, width 16, batch 8. The selection split (frames of the training drive) scores photometric
 * variation ~2.8 points lower, but without it the official frames of another drive in rain lost
 * 5–8 points, and other drives are what the product is pointed at.
 */
export const DEFAULT_TRAIN: Omit<TrainOptions, 'arch' | 'datasetRoot' | 'outDir' | 'stateDir'> = {
  epochs: 40,
  batchSize: 8,
  cropWidth: 256,
  cropHeight: 192,
  ...ingredientsOf(RECIPE_INGREDIENTS),
  maxLr: 2e-3,
  weightDecay: 1e-4,
  warmupEpochs: 1,
  seed: 42,
  resume: true,
  engine: config.trainEngine,
  ortProvider: config.ortProvider,
};

/**
 * A pretrained encoder's learning rate as a multiple of the decoder's: it starts from useful
 * features and moves slower (the calibration in issue #32 used 0.25). A random encoder has nothing
 * to keep and learns at the full rate.
 */
export const PRETRAINED_ENCODER_LR = 0.25;

/** Where an architecture with an encoder starts it: the package's weights, or random (the control). */
export type EncoderInit = 'nsfwjs' | 'random';

/**
 * The network config and encoder learning rate a training run of `arch` uses: one definition for the
 * CLI and the app's training jobs. `width` is for the scratch networks; `encoderInit` for those on an encoder.
 */
export function trainingNetwork(
  arch: Architecture,
  o: { width?: number; input?: { width: number; height: number }; encoderInit?: EncoderInit; encoderLr?: number },
): { modelConfig: Record<string, unknown>; encoderLr?: number } {
  const input = o.input ?? DEFAULT_TRAIN_INPUT;
  const size = { inputWidth: input.width, inputHeight: input.height };
  if (!hasEncoder(arch)) {
    if (o.encoderInit !== undefined || o.encoderLr !== undefined)
      throw new Error(`${arch} has no pretrained encoder: encoder options apply to ${ENCODER_ARCHITECTURES.join(' and ')}`);
    return { modelConfig: { width: o.width ?? DEFAULT_TRAIN_WIDTH, ...size } };
  }
  if (o.width !== undefined) throw new Error(`${arch} takes no width: its encoder is MobileNetV2 at alpha 1`);
  const encoderInit = o.encoderInit ?? 'nsfwjs';
  return { modelConfig: { ...size, encoderInit }, encoderLr: o.encoderLr ?? (encoderInit === 'nsfwjs' ? PRETRAINED_ENCODER_LR : 1) };
}

/** Channel width of the shipped recipe (models/config.ts' DEFAULT_WIDTH stays the architectures' smallest sensible default). */
export const DEFAULT_TRAIN_WIDTH = 16;

/** Network input size of the shipped recipe: whole frames resized to it (the crop defaults to all of it). */
export const DEFAULT_TRAIN_INPUT = { width: DEFAULT_TRAIN.cropWidth, height: DEFAULT_TRAIN.cropHeight } as const;

/**
 * An ingredient's `--NAME` / `--no-NAME` flags over the recipe's choice: `on` switches it on,
 * `off` off, neither keeps the recipe's; both at once is refused.
 */
export function switchFromFlags(name: string, on: boolean | undefined, off: boolean | undefined, recipe: boolean): boolean {
  if (on && off) throw new Error(`give --${name} or --no-${name}, not both`);
  return on ? true : off ? false : recipe;
}

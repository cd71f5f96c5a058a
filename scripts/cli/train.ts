import path from 'node:path';
import { ARCH_CHOICES, ARCHITECTURES, architectureSchema, ARCH_LABEL } from '../../models/config.ts';
import { ingredientsOf, type IngredientSwitches } from '../../server/training/ingredients.ts';
import { TRAINING_ENGINES, type TrainingEngineName } from '../../server/training/engine.ts';
import {
  DEFAULT_TRAIN,
  DEFAULT_TRAIN_INPUT,
  DEFAULT_TRAIN_WIDTH,
  PRETRAINED_ENCODER_LR,
  RECIPE_INGREDIENTS,
  switchFromFlags,
  trainingNetwork,
  type EncoderInit,
} from '../../server/training/train-defaults.ts';
import { trainModel } from '../../server/training/train-model.ts';
import { writeTrainingCard } from '../../server/training/write-card.ts';
import { intFlag, numFlag, parseArgs, sizeFlag, UsageError } from './args.ts';
import { ProgressBar } from './progress.ts';

export const TRAIN_USAGE = `train --arch ${ARCH_CHOICES} [--data DIR] [--out DIR] [--epochs N] [--batch N]
        [--width N] [--encoder-init nsfwjs|random] [--encoder-lr X] [--input WxH] [--crop WxH] [--lr X] [--seed N] [--engine auto|ort|tfjs] [--photometric|--no-photometric] [--weather|--no-weather] [--ohem|--no-ohem] [--lovasz|--no-lovasz] [--scale|--no-scale] [--fresh] [--no-evaluate]
  defaults: the shipped recipe (width ${DEFAULT_TRAIN_WIDTH}, whole ${DEFAULT_TRAIN_INPUT.width}x${DEFAULT_TRAIN_INPUT.height} frames, batch ${DEFAULT_TRAIN.batchSize}, ${DEFAULT_TRAIN.epochs} epochs, encoder from nsfwjs at ${PRETRAINED_ENCODER_LR}× the learning rate, ${(Object.keys(RECIPE_INGREDIENTS) as (keyof IngredientSwitches)[]).map((k) => `--${k} ${RECIPE_INGREDIENTS[k] ? 'on' : 'off'}`).join(', ')})`;

export async function trainCommand(argv: string[]): Promise<void> {
  const { flags } = parseArgs(argv, {
    arch: 'string',
    data: 'string',
    out: 'string',
    epochs: 'string',
    batch: 'string',
    width: 'string',
    'encoder-init': 'string',
    'encoder-lr': 'string',
    input: 'string',
    crop: 'string',
    lr: 'string',
    seed: 'string',
    engine: 'string',
    photometric: 'boolean',
    'no-photometric': 'boolean',
    weather: 'boolean',
    'no-weather': 'boolean',
    ohem: 'boolean',
    'no-ohem': 'boolean',
    lovasz: 'boolean',
    'no-lovasz': 'boolean',
    scale: 'boolean',
    'no-scale': 'boolean',
    fresh: 'boolean',
    'no-evaluate': 'boolean',
  });
  const arch = architectureSchema.safeParse(flags.arch);
  if (!arch.success) throw new UsageError(`--arch must be one of ${ARCHITECTURES.join(', ')}`);
  const switchOf = (name: string, recipe: boolean) => {
    try {
      return switchFromFlags(name, flags[name] === true, flags[`no-${name}`] === true, recipe);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  };
  const ingredients = ingredientsOf({
    photometric: switchOf('photometric', RECIPE_INGREDIENTS.photometric),
    weather: switchOf('weather', RECIPE_INGREDIENTS.weather),
    ohem: switchOf('ohem', RECIPE_INGREDIENTS.ohem),
    lovasz: switchOf('lovasz', RECIPE_INGREDIENTS.lovasz),
    scale: switchOf('scale', RECIPE_INGREDIENTS.scale),
  });
  // --input is the network's input size (frames are resized to it); --crop, the training crop taken from such a frame (whole frames by default).
  const input = sizeFlag(flags, 'input', DEFAULT_TRAIN_INPUT);
  const cropSize = sizeFlag(flags, 'crop', input);
  if (cropSize.width > input.width || cropSize.height > input.height)
    throw new UsageError(`--crop ${cropSize.width}x${cropSize.height} is larger than the input ${input.width}x${input.height}`);
  const encoderInit = flags['encoder-init'];
  if (encoderInit !== undefined && encoderInit !== 'nsfwjs' && encoderInit !== 'random') throw new UsageError('--encoder-init must be nsfwjs or random');
  let network: ReturnType<typeof trainingNetwork>;
  try {
    network = trainingNetwork(arch.data, {
      width: flags.width === undefined ? undefined : intFlag(flags, 'width', DEFAULT_TRAIN_WIDTH),
      input,
      encoderInit: encoderInit as EncoderInit | undefined,
      encoderLr: flags['encoder-lr'] === undefined ? undefined : numFlag(flags, 'encoder-lr', PRETRAINED_ENCODER_LR),
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const engine = flags.engine === undefined ? DEFAULT_TRAIN.engine : String(flags.engine);
  if (engine !== 'auto' && !TRAINING_ENGINES.includes(engine as TrainingEngineName))
    throw new UsageError(`--engine must be auto, ${TRAINING_ENGINES.join(' or ')}`);
  const outDir = path.resolve(String(flags.out ?? `models/checkpoints/${arch.data}`));
  const epochs = intFlag(flags, 'epochs', DEFAULT_TRAIN.epochs);
  const batchSize = intFlag(flags, 'batch', DEFAULT_TRAIN.batchSize);
  const seed = intFlag(flags, 'seed', DEFAULT_TRAIN.seed, 0);
  const bar = new ProgressBar(`train ${ARCH_LABEL[arch.data]}`, 1);
  let lastVal = '';
  const result = await trainModel({
    ...DEFAULT_TRAIN,
    arch: arch.data,
    ...network,
    datasetRoot: path.resolve(String(flags.data ?? 'data/carla-drive')),
    outDir,
    // One state folder per output folder: two runs of one architecture (e.g. pretrained and its random-init control) never share one.
    stateDir: path.resolve('.pixeldrive/train', path.basename(outDir)),
    epochs,
    batchSize,
    cropWidth: cropSize.width,
    cropHeight: cropSize.height,
    maxLr: numFlag(flags, 'lr', DEFAULT_TRAIN.maxLr),
    seed,
    resume: !flags.fresh,
    engine: engine as TrainingEngineName | 'auto',
    ...ingredients,
    onStep: ({ epoch, step, stepsPerEpoch, loss }) =>
      bar.update((epoch - 1) * stepsPerEpoch + step, `epoch ${epoch}/${epochs} loss ${loss.toFixed(3)}${lastVal}`, epochs * stepsPerEpoch),
    onEpoch: async (r) => {
      lastVal = ` | selection mIoU ${r.valMiou.toFixed(3)}`;
      process.stderr.write(
        `\nepoch ${r.epoch}: train loss ${r.trainLoss.toFixed(4)} selection loss ${r.valLoss.toFixed(4)} selection mIoU ${r.valMiou.toFixed(4)} (${r.seconds.toFixed(0)} s)${r.isBest ? ' best' : ''}\n`,
      );
    },
  });
  const card = await writeTrainingCard({
    outDir,
    result,
    seed,
    epochs,
    cropWidth: cropSize.width,
    cropHeight: cropSize.height,
    batchSize,
    evaluate: flags['no-evaluate'] !== true,
  });
  console.log(
    `trained on ${result.engine}; best epoch ${card.bestEpoch} (chosen on the selection split): selection mIoU ${result.bestValMiou.toFixed(4)}, val mIoU ${card.valMiou.toFixed(4)}; checkpoint in ${outDir}`,
  );
}

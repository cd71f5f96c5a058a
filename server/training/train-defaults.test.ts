import { describe, expect, it } from 'vitest';
import { DEFAULT_PHOTOMETRIC, DEFAULT_SCALE, describeAugmentation, trainingAugmentation } from './augment.ts';
import { DEFAULT_TRAIN, PRETRAINED_ENCODER_LR, RECIPE_INGREDIENTS, switchFromFlags, trainingNetwork } from './train-defaults.ts';
import { DEFAULT_WEATHER } from './weather.ts';
import { ingredientsOf } from './ingredients.ts';
import { startTrainingSchema } from './start-training-run.ts';

const NONE = { photometric: false, weather: false, ohem: false, lovasz: false, scale: false };
const photometricFromFlags = (on: boolean, off: boolean) =>
  ingredientsOf({ ...NONE, photometric: switchFromFlags('photometric', on, off, RECIPE_INGREDIENTS.photometric) }).photometric;
const weatherFromFlags = (on: boolean, off: boolean) =>
  ingredientsOf({ ...NONE, weather: switchFromFlags('weather', on, off, RECIPE_INGREDIENTS.weather) }).weather;

describe('the training recipe', () => {
  it('photometric variation follows the flags over the default, and refuses both at once', () => {
    expect(photometricFromFlags(false, false)).toBe(DEFAULT_TRAIN.photometric);
    expect(photometricFromFlags(true, false)).toEqual(DEFAULT_PHOTOMETRIC);
    expect(photometricFromFlags(false, true)).toBeUndefined();
    expect(() => photometricFromFlags(true, true)).toThrow(/--photometric or --no-photometric, not both/);
  });

  it('weather variation is off in the recipe and on with --weather', () => {
    expect(DEFAULT_TRAIN.weather).toBeUndefined();
    expect(weatherFromFlags(true, false)).toEqual(DEFAULT_WEATHER);
    expect(weatherFromFlags(false, false)).toBeUndefined();
  });

  it('describes what the loop applies, photometric terms only when on', () => {
    const off = describeAugmentation(trainingAugmentation({ cropWidth: 256, cropHeight: 192 }));
    expect(off).toBe('random 256x192 crops, horizontal flip, brightness ±0.2');
    const on = describeAugmentation(trainingAugmentation({ cropWidth: 256, cropHeight: 192, photometric: DEFAULT_PHOTOMETRIC }));
    expect(on).toMatch(/contrast ±0.25, gamma up to 1.3, channel gain ±0.1, sensor noise σ ≤ 6$/);
    const wet = describeAugmentation(trainingAugmentation({ cropWidth: 256, cropHeight: 192, weather: DEFAULT_WEATHER }));
    expect(wet).toMatch(/brightness ±0.2, colour temperature ±0.15, wet road p=0.3, haze p=0.25, rain p=0.25, blur p=0.2$/);
    const zoomed = describeAugmentation(trainingAugmentation({ cropWidth: 256, cropHeight: 192, scale: DEFAULT_SCALE }));
    expect(zoomed).toBe('random 256x192 crops zoomed in by 1–1.5×, horizontal flip, brightness ±0.2');
  });

  it("a run started from the app without ingredients trains the recipe's; each switch maps to the CLI flag's settings", () => {
    const plain = ingredientsOf(startTrainingSchema.parse({ arch: 'unet' }));
    expect(plain).toEqual({
      photometric: DEFAULT_TRAIN.photometric,
      weather: DEFAULT_TRAIN.weather,
      mining: DEFAULT_TRAIN.mining,
      lovasz: DEFAULT_TRAIN.lovasz,
      scale: DEFAULT_TRAIN.scale,
    });
    const all = ingredientsOf(startTrainingSchema.parse({ arch: 'unet', photometric: false, weather: true, ohem: true, lovasz: true, scale: true }));
    expect(all.photometric).toBeUndefined();
    expect(all.weather).toEqual(DEFAULT_WEATHER);
    expect(all.mining).toEqual({ threshold: 0.7, minKeptFraction: 1 / 8 });
    expect(all.lovasz).toEqual({ weight: 1 });
    expect(all.scale).toEqual(DEFAULT_SCALE);
    expect(() => startTrainingSchema.parse({ arch: 'unet', weather: 'yes' })).toThrow();
    // The input: the recipe's unless chosen, and a multiple of what the architecture downsamples by.
    expect(startTrainingSchema.parse({ arch: 'unet' }).input).toEqual({ width: 256, height: 192 });
    expect(startTrainingSchema.parse({ arch: 'unet', input: { width: 64, height: 48 } }).input).toEqual({ width: 64, height: 48 });
    expect(() => startTrainingSchema.parse({ arch: 'unet-mobilenetv2', input: { width: 64, height: 48 } })).toThrow(
      /unet-mobilenetv2 takes input sizes that are multiples of 32, got 64×48/,
    );
  });

  it('every ingredient can be switched either way from the recipe, and the loop defaults to what the switches say', () => {
    for (const name of Object.keys(RECIPE_INGREDIENTS) as (keyof typeof RECIPE_INGREDIENTS)[]) {
      expect(switchFromFlags(name, false, false, RECIPE_INGREDIENTS[name])).toBe(RECIPE_INGREDIENTS[name]);
      expect(switchFromFlags(name, true, false, RECIPE_INGREDIENTS[name])).toBe(true);
      expect(switchFromFlags(name, false, true, RECIPE_INGREDIENTS[name])).toBe(false);
    }
    const fromSwitches = ingredientsOf(RECIPE_INGREDIENTS);
    expect({
      photometric: DEFAULT_TRAIN.photometric,
      weather: DEFAULT_TRAIN.weather,
      mining: DEFAULT_TRAIN.mining,
      lovasz: DEFAULT_TRAIN.lovasz,
      scale: DEFAULT_TRAIN.scale,
    }).toEqual(fromSwitches);
  });
});

describe('trainingNetwork', () => {
  it('gives a scratch network its width, an encoder network its start and encoder learning rate', () => {
    expect(trainingNetwork('unet', {})).toEqual({ modelConfig: { width: 16, inputWidth: 256, inputHeight: 192 } });
    expect(trainingNetwork('unet-mobilenetv2', {})).toEqual({
      modelConfig: { inputWidth: 256, inputHeight: 192, encoderInit: 'nsfwjs' },
      encoderLr: PRETRAINED_ENCODER_LR,
    });
    // The control: a random encoder has nothing to keep and learns at the full rate, unless told otherwise.
    expect(trainingNetwork('deeplabv3plus-mobilenetv2', { encoderInit: 'random' }).encoderLr).toBe(1);
    expect(trainingNetwork('deeplabv3plus-mobilenetv2', { encoderInit: 'random', encoderLr: 0.5 }).encoderLr).toBe(0.5);
  });

  it('refuses options that do not apply, naming why', () => {
    expect(() => trainingNetwork('unet-mobilenetv2', { width: 8 })).toThrow(/takes no width/);
    expect(() => trainingNetwork('segnet', { encoderInit: 'random' })).toThrow(/segnet has no pretrained encoder/);
    expect(() => trainingNetwork('unet', { encoderLr: 0.25 })).toThrow(/no pretrained encoder/);
  });
});

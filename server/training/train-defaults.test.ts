import { describe, expect, it } from 'vitest';
import { DEFAULT_PHOTOMETRIC, describeAugmentation, trainingAugmentation } from './augment.ts';
import { DEFAULT_TRAIN, photometricFromFlags } from './train-defaults.ts';

describe('the training recipe', () => {
  it('photometric variation follows the flags over the default, and refuses both at once', () => {
    expect(photometricFromFlags(false, false)).toBe(DEFAULT_TRAIN.photometric);
    expect(photometricFromFlags(true, false)).toEqual(DEFAULT_PHOTOMETRIC);
    expect(photometricFromFlags(false, true)).toBeUndefined();
    expect(() => photometricFromFlags(true, true)).toThrow(/not both/);
  });

  it('describes what the loop applies, photometric terms only when on', () => {
    const off = describeAugmentation(trainingAugmentation({ cropWidth: 256, cropHeight: 192 }));
    expect(off).toBe('random 256x192 crops, horizontal flip, brightness ±0.2');
    const on = describeAugmentation(trainingAugmentation({ cropWidth: 256, cropHeight: 192, photometric: DEFAULT_PHOTOMETRIC }));
    expect(on).toMatch(/contrast ±0.25, gamma up to 1.3, channel gain ±0.1, sensor noise σ ≤ 6$/);
  });
});

import { describe, expect, it } from 'vitest';
import { describeRecipe } from './describe-recipe.ts';

describe('describeRecipe', () => {
  it('returns width, batch, seed and the ingredients switched on', () => {
    expect(describeRecipe({ arch: 'segnet', width: 2, photometric: false, weather: true, lovasz: true })).toBe('width 2, batch 8, seed 42; weather, Lovász');
  });

  it('returns "no ingredients" when every switch is off', () => {
    expect(describeRecipe({ arch: 'unet', width: 4, seed: 7, photometric: false, lovasz: false })).toBe('width 4, batch 8, seed 7; no ingredients');
  });

  it('names the input only when it is not the recipe’s 256×192', () => {
    expect(describeRecipe({ arch: 'unet', width: 2, input: { width: 64, height: 48 }, lovasz: false, photometric: false })).toBe(
      '64×48, width 2, batch 8, seed 42; no ingredients',
    );
    expect(describeRecipe({ arch: 'unet', width: 2, input: { width: 256, height: 192 }, lovasz: false, photometric: false })).toBe(
      'width 2, batch 8, seed 42; no ingredients',
    );
  });

  it('returns null for options that are not a run started here (a shipped checkpoint card)', () => {
    expect(describeRecipe({ epochs: 30, backend: 'ort' })).toBeNull();
  });
});

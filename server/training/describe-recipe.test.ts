import { describe, expect, it } from 'vitest';
import { describeRecipe } from './describe-recipe.ts';

describe('describeRecipe', () => {
  it('returns width, batch, seed and the ingredients switched on', () => {
    expect(describeRecipe({ arch: 'segnet', width: 2, photometric: false, weather: true, lovasz: true })).toBe('width 2, batch 8, seed 42; weather, Lovász');
  });

  it('returns "no ingredients" when every switch is off', () => {
    expect(describeRecipe({ arch: 'unet', width: 4, seed: 7, photometric: false, lovasz: false })).toBe('width 4, batch 8, seed 7; no ingredients');
  });

  it('returns null for options that are not a run started here (a shipped checkpoint card)', () => {
    expect(describeRecipe({ epochs: 30, backend: 'ort' })).toBeNull();
  });
});

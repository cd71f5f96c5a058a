import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeAugmentation, trainingAugmentation } from '../training/augment.ts';
import { describeLoss, ingredientsOf, type IngredientSwitches } from '../training/ingredients.ts';
import { diffRecipes, recipeKeyWithoutSeed, recipeOfRun, type ExperimentRecipe } from './experiment-recipe.ts';

const shippedUnet = JSON.parse(readFileSync('models/checkpoints/unet/card.json', 'utf8'));

/** The shipped U-Net's card with its training words replaced. */
const cardWith = (training: Record<string, unknown>) => ({ ...shippedUnet, training: { ...shippedUnet.training, ...training } });
const fromCard = (card: unknown, recordedPeakLr: number | null = 0.002) =>
  recipeOfRun({ arch: 'unet', options: {}, backend: null, card, checkpoint: null, recordedPeakLr });

const SWITCH_NAMES = ['photometric', 'weather', 'ohem', 'lovasz', 'scale'] as const;

describe('recipeOfRun', () => {
  it('reads back, from a card, every one of the 32 switch settings its words were written from', () => {
    for (let bits = 0; bits < 32; bits++) {
      const on = Object.fromEntries(SWITCH_NAMES.map((s, i) => [s, (bits & (1 << i)) !== 0])) as unknown as IngredientSwitches;
      const i = ingredientsOf(on);
      const card = cardWith({
        crop: '384x288',
        augmentation: describeAugmentation(trainingAugmentation({ cropWidth: 384, cropHeight: 288, ...i })),
        lossFn: describeLoss(i.mining, i.lovasz),
      });
      const r = fromCard(card);
      expect(Object.fromEntries(SWITCH_NAMES.map((s) => [s, r[s]]))).toEqual(on);
    }
  });

  it('reads the shipped U-Net card: photometric and Lovász on, its rate from its history', () => {
    expect(fromCard(shippedUnet, 0.0020000000000000005)).toEqual({
      arch: 'unet',
      width: 16,
      input: '256x192',
      crop: '256x192',
      epochs: 40,
      batchSize: 8,
      seed: 42,
      photometric: true,
      weather: false,
      ohem: false,
      lovasz: true,
      scale: false,
      peakLr: 0.002,
      engine: 'ort (onnxruntime-cpu, 2 threads)',
    });
  });

  it('leaves unknown what a card does not say, or says in words no recipe writes', () => {
    const r = fromCard(cardWith({ augmentation: 'random crops and some colour jitter', lossFn: 'focal loss' }), null);
    expect([r.photometric, r.weather, r.scale, r.ohem, r.lovasz, r.peakLr]).toEqual([null, null, null, null, null, null]);
    const { augmentation: _, ...training } = shippedUnet.training;
    expect(fromCard({ ...shippedUnet, training }).photometric).toBeNull();
    expect(fromCard({ arch: 'unet' }, null)).toMatchObject({ arch: 'unet', width: null, seed: null, engine: null, lovasz: null });
  });

  it('reads a run started here from its options, before it has an engine or a checkpoint', () => {
    const options = { arch: 'segnet', epochs: 3, width: 4, batchSize: 2, seed: 9, photometric: false, weather: true, ohem: true, lovasz: false, scale: true };
    const r = recipeOfRun({ arch: 'segnet', options, backend: null, card: null, checkpoint: null, recordedPeakLr: null });
    expect(r).toEqual({ ...options, input: '256x192', crop: '256x192', peakLr: 0.002, engine: null });
    // Options stored before runs had an input size trained at the recipe's (above); a run that chose one trained whole frames at it.
    const registered = recipeOfRun({
      arch: 'segnet',
      options: { ...options, input: { width: 384, height: 288 } },
      backend: 'tfjs (tfjs-wasm)',
      card: null,
      checkpoint: { card: shippedUnet, config: { inputWidth: 384, inputHeight: 288 } },
      recordedPeakLr: null,
    });
    expect([registered.input, registered.crop, registered.engine]).toEqual(['384x288', '384x288', 'tfjs (tfjs-wasm)']);
  });
});

describe('diffRecipes and recipeKeyWithoutSeed', () => {
  const base = fromCard(shippedUnet);
  const other = (o: Partial<ExperimentRecipe>): ExperimentRecipe => ({ ...base, ...o });

  it('returns the differing fields in page order; unknown differs from known, not from unknown', () => {
    expect(diffRecipes([base, other({ seed: 7, lovasz: false }), base])).toEqual(['seed', 'lovasz']);
    expect(diffRecipes([other({ peakLr: null }), base])).toEqual(['peakLr']);
    expect(diffRecipes([other({ peakLr: null }), other({ peakLr: null })])).toEqual([]);
  });

  it('gives runs that differ only in seed one key, and a run with an unknown field none', () => {
    expect(recipeKeyWithoutSeed(other({ seed: 7 }))).toBe(recipeKeyWithoutSeed(base));
    expect(recipeKeyWithoutSeed(other({ epochs: 6 }))).not.toBe(recipeKeyWithoutSeed(base));
    expect(recipeKeyWithoutSeed(other({ scale: null }))).toBeNull();
    expect(recipeKeyWithoutSeed(other({ seed: null }))).toBeNull();
  });
});

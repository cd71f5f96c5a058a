import { DEFAULT_PHOTOMETRIC, DEFAULT_SCALE } from './augment.ts';
import { DEFAULT_WEATHER } from './weather.ts';

/**
 * Online hard-pixel mining (OHEM) on top of the class-weighted cross-entropy: a step learns only
 * from the pixels the model still gets wrong enough — those whose probability for the true class
 * is below `threshold` — but from at least the `minKeptFraction` hardest of the batch, so an
 * easy batch still teaches. Aimed at the thin classes (poles, pedestrians, signs) that plain
 * cross-entropy lets the large easy regions (road, sky) drown.
 */
export interface HardPixelMining {
  threshold: number;
  minKeptFraction: number;
}

const DEFAULT_MINING: HardPixelMining = { threshold: 0.7, minKeptFraction: 1 / 8 };

/**
 * Lovász-softmax (Berman, Rannen Triki & Blaschko, CVPR 2018), a convex surrogate of the Jaccard
 * loss 1 − IoU, added to the cross-entropy with a weight: it pushes on IoU directly, so a class of
 * few pixels (pole, pedestrian, traffic sign) counts as much as road.
 */
export interface LovaszTerm {
  weight: number;
}

const DEFAULT_LOVASZ: LovaszTerm = { weight: 1 };

/** The training ingredients a run switches on or off, by the name of their CLI flag and form field. */
export interface IngredientSwitches {
  photometric: boolean;
  weather: boolean;
  ohem: boolean;
  lovasz: boolean;
  scale: boolean;
}

/** Switched-on ingredients as the loop's options, each with the recipe's settings: one map for the CLI and the app's runs. */
export function ingredientsOf(o: IngredientSwitches) {
  return {
    photometric: o.photometric ? DEFAULT_PHOTOMETRIC : undefined,
    weather: o.weather ? DEFAULT_WEATHER : undefined,
    mining: o.ohem ? DEFAULT_MINING : undefined,
    lovasz: o.lovasz ? DEFAULT_LOVASZ : undefined,
    scale: o.scale ? DEFAULT_SCALE : undefined,
  };
}

/** The training loss in words, for the model card. */
export function describeLoss(mining?: HardPixelMining, lovasz?: LovaszTerm): string {
  const parts = ['class-weighted softmax cross-entropy from logits (median-frequency weights, clipped at 50)'];
  if (mining)
    parts.push(
      `online hard-pixel mining (true-class probability < ${mining.threshold}, at least ${+(mining.minKeptFraction * 100).toFixed(1)}% of the batch's pixels)`,
    );
  if (lovasz) parts.push(`plus ${lovasz.weight} × Lovász-softmax (classes present in the batch)`);
  return parts.join(', ');
}

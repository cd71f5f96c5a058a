import { describeAugmentation, trainingAugmentation } from './augment.ts';
import { describeLoss } from './ingredients.ts';
import { startTrainingSchema } from './start-training-run.ts';
import { DEFAULT_TRAIN, DEFAULT_TRAIN_INPUT, DEFAULT_TRAIN_WIDTH, RECIPE_INGREDIENTS } from './train-defaults.ts';

const INGREDIENT_LABELS = { photometric: 'photometric', weather: 'weather', ohem: 'hard-pixel mining', lovasz: 'Lovász', scale: 'random scale' } as const;

/**
 * A training run's width, batch, seed and switched-on ingredients, from its stored options;
 * null for rows without app options (histories registered with a shipped checkpoint).
 */
export function describeRecipe(options: unknown): string | null {
  const o = startTrainingSchema.safeParse(options);
  if (!o.success) return null;
  const on = (Object.keys(INGREDIENT_LABELS) as (keyof typeof INGREDIENT_LABELS)[]).filter((k) => o.data[k]).map((k) => INGREDIENT_LABELS[k]);
  const input =
    o.data.input.width === DEFAULT_TRAIN_INPUT.width && o.data.input.height === DEFAULT_TRAIN_INPUT.height
      ? ''
      : `${o.data.input.width}×${o.data.input.height}, `;
  return `${input}width ${o.data.width}, batch ${o.data.batchSize}, seed ${o.data.seed}${on.length ? `; ${on.join(', ')}` : '; no ingredients'}`;
}

/** The recipe a new training run starts from, as the Runs form shows and pre-fills it. */
export function defaultRecipe() {
  const t = DEFAULT_TRAIN;
  return {
    epochs: t.epochs,
    width: DEFAULT_TRAIN_WIDTH,
    ingredients: RECIPE_INGREDIENTS,
    recipe: `whole ${t.cropWidth}×${t.cropHeight} frames, batch ${t.batchSize}, AdamW ${t.maxLr} with cosine decay, ${describeLoss(t.mining, t.lovasz)}; ${describeAugmentation(trainingAugmentation(t))}`,
  };
}

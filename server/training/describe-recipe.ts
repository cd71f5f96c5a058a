import { startTrainingSchema } from './start-training-run.ts';

const INGREDIENT_LABELS = { photometric: 'photometric', weather: 'weather', ohem: 'hard-pixel mining', lovasz: 'Lovász', scale: 'random scale' } as const;

/**
 * A training run's width, batch, seed and switched-on ingredients, from its stored options;
 * null for rows without app options (histories registered with a shipped checkpoint).
 */
export function describeRecipe(options: unknown): string | null {
  const o = startTrainingSchema.safeParse(options);
  if (!o.success) return null;
  const on = (Object.keys(INGREDIENT_LABELS) as (keyof typeof INGREDIENT_LABELS)[]).filter((k) => o.data[k]).map((k) => INGREDIENT_LABELS[k]);
  return `width ${o.data.width}, batch ${o.data.batchSize}, seed ${o.data.seed}${on.length ? `; ${on.join(', ')}` : '; no ingredients'}`;
}

import { spreadOf, type Spread } from '../metrics/spread.ts';
import { recipeKeyWithoutSeed, type ExperimentRecipe } from './experiment-recipe.ts';

interface SeedGroupMember {
  id: string;
  name: string;
  status: string;
  recipe: ExperimentRecipe;
  /** Best in-loop selection mIoU (null: not recorded). */
  selectionMiou: number | null;
  /** The checkpoint's evaluated mIoU per default target (null: not evaluated, or not completed). */
  evaluated: { dataset: string; split: string; miou: number | null }[];
}

interface SeedGroup {
  /** The shared recipe (its seed null: the seeds are the members'). */
  recipe: ExperimentRecipe;
  runs: { id: string; name: string; seed: number }[];
  selection: Spread | null;
  evaluated: { dataset: string; split: string; spread: Spread | null }[];
}

/**
 * Finished runs of one recipe that differ only in seed, two or more to a group, with the spread of
 * their numbers. A run with any recipe field unknown joins no group: it cannot be shown to share
 * the recipe.
 */
export function groupSeedRuns(runs: readonly SeedGroupMember[]): SeedGroup[] {
  const byKey = new Map<string, SeedGroupMember[]>();
  for (const r of runs) {
    if (r.status !== 'completed') continue;
    const key = recipeKeyWithoutSeed(r.recipe);
    if (key !== null) byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  const finite = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null && Number.isFinite(x));
  return [...byKey.values()]
    .filter((g) => g.length >= 2)
    .map((g) => ({
      recipe: { ...g[0].recipe, seed: null },
      runs: g.map((r) => ({ id: r.id, name: r.name, seed: r.recipe.seed! })).sort((a, b) => a.seed - b.seed),
      selection: spreadOf(finite(g.map((r) => r.selectionMiou))),
      evaluated: g[0].evaluated.map((t, i) => ({ dataset: t.dataset, split: t.split, spread: spreadOf(finite(g.map((r) => r.evaluated[i]?.miou ?? null))) })),
    }));
}

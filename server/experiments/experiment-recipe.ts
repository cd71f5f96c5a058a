import { ARCH_LABEL, type Architecture } from '../../models/config.ts';
import { describeAugmentation, trainingAugmentation } from '../training/augment.ts';
import { describeLoss, ingredientsOf, type IngredientSwitches } from '../training/ingredients.ts';
import { startTrainingSchema } from '../training/start-training-run.ts';
import { DEFAULT_TRAIN } from '../training/train-defaults.ts';
import { recordedCardSchema, type RecordedCard } from '../schemas/checkpoint.ts';

/**
 * What a training run was trained with, field by field, whichever way the run came in: started
 * here (its stored options), or known only from a card (a shipped checkpoint's history, a sweep
 * card imported from bench-results/). A field the source does not record is null: unknown, never
 * guessed.
 */
export interface ExperimentRecipe {
  arch: string;
  width: number | null;
  /** Network input size, "WxH". */
  input: string | null;
  /** Training crop, "WxH". */
  crop: string | null;
  epochs: number | null;
  batchSize: number | null;
  seed: number | null;
  photometric: boolean | null;
  weather: boolean | null;
  ohem: boolean | null;
  lovasz: boolean | null;
  scale: boolean | null;
  /** Peak learning rate of the cosine schedule. */
  peakLr: number | null;
  /** The engine that ran the steps and where, e.g. "ort (onnxruntime-cpu, 2 threads)". */
  engine: string | null;
}

type RecipeField = keyof ExperimentRecipe;

/** The recipe's fields in the order the page shows them, with their labels. */
export const RECIPE_FIELDS: readonly { key: RecipeField; label: string }[] = [
  { key: 'arch', label: 'Architecture' },
  { key: 'width', label: 'Width' },
  { key: 'input', label: 'Input size' },
  { key: 'crop', label: 'Crop' },
  { key: 'epochs', label: 'Epochs' },
  { key: 'batchSize', label: 'Batch' },
  { key: 'seed', label: 'Seed' },
  { key: 'photometric', label: 'Photometric' },
  { key: 'weather', label: 'Weather' },
  { key: 'ohem', label: 'Hard-pixel mining' },
  { key: 'lovasz', label: 'Lovász' },
  { key: 'scale', label: 'Random scale' },
  { key: 'peakLr', label: 'Peak learning rate' },
  { key: 'engine', label: 'Engine' },
];

const SWITCHES = ['photometric', 'weather', 'ohem', 'lovasz', 'scale'] as const satisfies readonly (keyof IngredientSwitches)[];

/** The ingredient switches among the recipe's fields, with their labels. */
export const SWITCH_FIELDS = RECIPE_FIELDS.filter((f) => (SWITCHES as readonly string[]).includes(f.key));

/** A recipe value as the page prints it; null is "unknown". */
export function formatRecipeValue(key: RecipeField, value: ExperimentRecipe[RecipeField]): string {
  if (value === null) return 'unknown';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return key === 'arch' ? (ARCH_LABEL[value as Architecture] ?? String(value)) : String(value);
}

/**
 * The fields on which the recipes are not all the same (unknown counts as a value of its own, so
 * a field known on one run and not on another is shown; unknown on all is not a difference).
 */
export function diffRecipes(recipes: readonly ExperimentRecipe[]): RecipeField[] {
  return RECIPE_FIELDS.map((f) => f.key).filter((k) => new Set(recipes.map((r) => r[k])).size > 1);
}

/**
 * The recipe without its seed, as one string, for grouping runs that differ only in seed; null
 * when any field of it (or the seed) is unknown: two runs cannot be shown to share a recipe then.
 */
export function recipeKeyWithoutSeed(r: ExperimentRecipe): string | null {
  if (r.seed === null) return null;
  const rest = RECIPE_FIELDS.filter((f) => f.key !== 'seed').map((f) => r[f.key]);
  return rest.some((v) => v === null) ? null : JSON.stringify(rest);
}

/** Six significant digits: a rate recorded after warm-up (max·n/n) reads as the rate itself. */
const roundLr = (v: number) => Number(v.toPrecision(6));

const size = (w: number, h: number) => `${w}x${h}`;

/**
 * A run started here (Runs form or CLI job): its stored options (whole frames at its input size),
 * the loop's fixed defaults (peak learning rate: run-training-job.ts passes DEFAULT_TRAIN) and its
 * engine once it has started.
 */
function recipeFromOptions(arch: string, o: ReturnType<typeof startTrainingSchema.parse>, extra: { engine: string | null }): ExperimentRecipe {
  return {
    arch,
    width: o.width,
    input: size(o.input.width, o.input.height),
    crop: size(o.input.width, o.input.height),
    epochs: o.epochs,
    batchSize: o.batchSize,
    seed: o.seed,
    photometric: o.photometric,
    weather: o.weather,
    ohem: o.ohem,
    lovasz: o.lovasz,
    scale: o.scale,
    peakLr: roundLr(DEFAULT_TRAIN.maxLr),
    engine: extra.engine,
  };
}

const ALL_COMBINATIONS: IngredientSwitches[] = Array.from({ length: 1 << SWITCHES.length }, (_, bits) =>
  Object.fromEntries(SWITCHES.map((s, i) => [s, (bits & (1 << i)) !== 0])),
) as unknown as IngredientSwitches[];

/**
 * The ingredient switches a card's words were written from: the card's augmentation and loss are
 * the sentences `describeAugmentation` and `describeLoss` wrote, so the switches are those whose
 * sentences match it exactly. No match (or a card without the sentence): unknown.
 */
function switchesFromCard(card: RecordedCard): Pick<ExperimentRecipe, (typeof SWITCHES)[number]> {
  const t = card.training;
  const crop = t?.crop === undefined ? null : /^(\d+)x(\d+)$/.exec(t.crop);
  const unique = <K extends keyof IngredientSwitches>(keys: readonly K[], matches: (s: IngredientSwitches) => boolean) => {
    const found = new Set(ALL_COMBINATIONS.filter(matches).map((s) => JSON.stringify(keys.map((k) => s[k]))));
    const only = found.size === 1 ? (JSON.parse([...found][0]) as boolean[]) : null;
    return Object.fromEntries(keys.map((k, i) => [k, only ? only[i] : null])) as Record<K, boolean | null>;
  };
  const augmentation =
    crop && t?.augmentation !== undefined
      ? unique(
          ['photometric', 'weather', 'scale'] as const,
          (s) =>
            describeAugmentation(trainingAugmentation({ cropWidth: Number(crop[1]), cropHeight: Number(crop[2]), ...ingredientsOf(s) })) === t.augmentation,
        )
      : { photometric: null, weather: null, scale: null };
  const loss =
    t?.lossFn !== undefined
      ? unique(['ohem', 'lovasz'] as const, (s) => {
          const i = ingredientsOf(s);
          return describeLoss(i.mining, i.lovasz) === t.lossFn;
        })
      : { ohem: null, lovasz: null };
  return { ...augmentation, ...loss };
}

const sizeOrNull = (v: string | undefined) => (v !== undefined && /^\d+x\d+$/.test(v) ? v : null);

/**
 * A run known from its card: what the card records, and the peak learning rate as its history
 * recorded it (the highest per-epoch rate; the schedule warms up to its peak over the first
 * epoch, whose last step is recorded). Cards do not record the rate itself.
 */
function recipeFromCard(arch: string, card: RecordedCard, recordedPeakLr: number | null): ExperimentRecipe {
  const t = card.training;
  const width = card.config?.width;
  return {
    arch,
    width: typeof width === 'number' ? width : null,
    input: sizeOrNull(card.inputSize),
    crop: sizeOrNull(t?.crop),
    epochs: t?.epochs ?? null,
    batchSize: t?.batchSize ?? null,
    seed: t?.seed ?? null,
    ...switchesFromCard(card),
    peakLr: recordedPeakLr === null ? null : roundLr(recordedPeakLr),
    engine: t?.backend || null,
  };
}

/** The one way a stored training run's recipe is read (the Experiments page, its diff and its seed groups). */
export function recipeOfRun(run: {
  arch: string;
  options: unknown;
  backend: string | null;
  /** The run's own card (imported runs). */
  card: unknown;
  /** Its checkpoint's card and config, when it registered or came with one. */
  checkpoint: { card: unknown; config: unknown } | null;
  /** The highest learning rate its epochs recorded (null: no epoch recorded). */
  recordedPeakLr: number | null;
}): ExperimentRecipe {
  const started = startTrainingSchema.safeParse(run.options);
  if (started.success) return recipeFromOptions(run.arch, started.data, { engine: run.backend });
  const card = recordedCardSchema.safeParse(run.card ?? run.checkpoint?.card);
  if (card.success) return recipeFromCard(run.arch, card.data, run.recordedPeakLr);
  return { ...Object.fromEntries(RECIPE_FIELDS.map((f) => [f.key, null])), arch: run.arch } as ExperimentRecipe;
}

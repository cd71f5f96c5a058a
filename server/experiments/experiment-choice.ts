import { z } from 'zod';
import { CLASSES } from '../../models/classes.ts';

/** At most this many runs overlaid at once: past it the chart stops being readable. */
export const MAX_CHOSEN_RUNS = 8;

/** The class the per-class chart opens on: a thin class, where the ingredients differ most. */
const DEFAULT_CURVE_CLASS = 'Pole';

const choiceSchema = z.object({
  run: z
    .union([z.string(), z.array(z.string())])
    .optional()
    .transform((v) => [...new Set(v === undefined ? [] : Array.isArray(v) ? v : [v])])
    .pipe(z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'is not a run id')).max(MAX_CHOSEN_RUNS, `choose at most ${MAX_CHOSEN_RUNS} runs`)),
  class: z.string().optional(),
});

/**
 * The Experiments page's URL (`?run=<id>&run=<id>&class=<name>`), checked against the runs that
 * exist. Bad input chooses nothing and says why; the class falls back to the default with a note.
 */
export function readExperimentChoice(params: unknown, known: ReadonlySet<string>): { runIds: string[]; classId: number; error: string | null } {
  const fallback = CLASSES.find((c) => c.name === DEFAULT_CURVE_CLASS)!.id;
  const r = choiceSchema.safeParse(params);
  if (!r.success) return { runIds: [], classId: fallback, error: `Nothing chosen: run ${r.error.issues.map((i) => i.message).join('; ')}.` };
  const missing = r.data.run.filter((id) => !known.has(id));
  const cls = r.data.class === undefined ? undefined : CLASSES.find((c) => c.name === r.data.class);
  const classError = r.data.class !== undefined && !cls ? `There is no class "${r.data.class}"; showing ${DEFAULT_CURVE_CLASS}.` : null;
  if (missing.length)
    return {
      runIds: [],
      classId: cls?.id ?? fallback,
      error: `Nothing chosen: no training run ${missing.map((id) => `"${id}"`).join(', ')} (deleted, or a link from another installation).`,
    };
  return { runIds: r.data.run, classId: cls?.id ?? fallback, error: classError };
}

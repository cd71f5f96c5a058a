import { compareRuns } from '../dashboard/compare-runs.ts';
import type { ExperimentRun } from './list-experiments.ts';

/**
 * The paired comparison of chosen runs' evaluated checkpoints: the first chosen run against each
 * other one, on every default target both have a completed evaluation of (the evaluations the
 * page shows). The numbers are the Compare page's own (`compareRuns`): one implementation.
 */
export async function compareExperimentRuns({ runs }: { runs: readonly Pick<ExperimentRun, 'id' | 'name' | 'evaluations'>[] }) {
  const [first, ...others] = runs;
  if (!first) return [];
  const out = [];
  for (const other of others) {
    for (const [i, target] of first.evaluations.entries()) {
      const a = target.run;
      const b = other.evaluations[i]?.run ?? null;
      const evaluated = a?.status === 'completed' && b?.status === 'completed';
      const compared = evaluated ? await compareRuns({ a: a.id, b: b.id }) : null;
      out.push({
        dataset: target.dataset,
        split: target.split,
        a: { runId: first.id, name: first.name, evaluationRunId: a?.id ?? null, miou: compared?.a.miou ?? null },
        b: { runId: other.id, name: other.name, evaluationRunId: b?.id ?? null, miou: compared?.b.miou ?? null },
        /** Null: one of the two is not evaluated on this target (yet), or they share fewer than two images. */
        paired: compared?.paired ?? null,
        evaluated,
      });
    }
  }
  return out;
}

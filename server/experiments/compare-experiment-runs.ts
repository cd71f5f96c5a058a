import { compareRuns } from '../dashboard/compare-runs.ts';
import type { ExperimentRun } from './list-experiments.ts';

type Chosen = Pick<ExperimentRun, 'id' | 'name' | 'evaluations' | 'checkpoint'>;

/** Why a chosen run has no completed evaluation on the target (null: it has one). */
function missing(run: Chosen, target: ExperimentRun['evaluations'][number]): string | null {
  if (!run.checkpoint) return `${run.name} has no checkpoint here`;
  const e = target.run;
  if (!e) return `${run.name} is not evaluated on ${target.dataset} ${target.split}`;
  return e.status === 'completed' ? null : `${run.name}'s evaluation on ${target.dataset} ${target.split} is ${e.status}`;
}

/**
 * The paired comparison of chosen runs' evaluated checkpoints: the first chosen run against each
 * other one, on every default target, with the evaluations the page shows beside each run. The
 * numbers are the Compare page's own (`compareRuns`): one implementation of the paired test.
 */
export async function compareExperimentRuns({ runs }: { runs: readonly Chosen[] }) {
  const [first, ...others] = runs;
  if (!first) return [];
  const out = [];
  for (const other of others) {
    for (const [i, target] of first.evaluations.entries()) {
      const a = target.run;
      const b = other.evaluations[i].run;
      const why = missing(first, target) ?? missing(other, other.evaluations[i]);
      const compared = why === null && a && b ? await compareRuns({ a: a.id, b: b.id }) : null;
      out.push({
        dataset: target.dataset,
        split: target.split,
        a: { runId: first.id, name: first.name, evaluationRunId: a?.id ?? null, miou: compared?.a.miou ?? null },
        b: { runId: other.id, name: other.name, evaluationRunId: b?.id ?? null, miou: compared?.b.miou ?? null },
        /** Null when not compared (see `notCompared`), or when the two share fewer than two images. */
        paired: compared?.paired ?? null,
        notCompared: why,
      });
    }
  }
  return out;
}

import path from 'node:path';
import { ARCH_LABEL, type Architecture } from '../../models/config.ts';
import { TRAINED_EVALUATIONS_SELECT, trainedEvaluations } from '../dashboard/trained-evaluations.ts';
import { getDb } from '../db/client.ts';
import { recipeOfRun, type ExperimentRecipe } from './experiment-recipe.ts';
import { groupSeedRuns } from './group-seed-runs.ts';

/** Where a training run came from. */
type ExperimentSource = 'trained here' | 'imported' | 'checkpoint history';

export interface ExperimentRun {
  id: string;
  /** Names the run in the table and the legends: the card's folder, the checkpoint's name, or the architecture and the run id's tail; unique. */
  name: string;
  source: ExperimentSource;
  /** Imported runs: the card's path from the project root. */
  origin: string | null;
  status: string;
  arch: string;
  recipe: ExperimentRecipe;
  epochsDone: number;
  epochsTotal: number;
  bestEpoch: number | null;
  /** Best in-loop selection mIoU, at the network's input size (null: not recorded). */
  selectionMiou: number | null;
  /** The checkpoint evaluated at native resolution on each default target, as the Runs page shows it. */
  evaluations: ReturnType<typeof trainedEvaluations>;
  wallSeconds: number | null;
  checkpoint: { id: string; name: string } | null;
}

function nameOf(r: { id: string; arch: string; origin: string | null; trainedHere: boolean; checkpoint: { name: string } | null }): string {
  if (r.origin) return path.posix.basename(path.posix.dirname(r.origin));
  if (r.checkpoint) return r.checkpoint.name;
  return `${ARCH_LABEL[r.arch as Architecture] ?? r.arch} · run ${r.id.slice(-6)}`;
}

/**
 * Every training run with its recipe, both numbers and wall time, in one read, not one per run
 * (of the per-epoch rows only the highest learning rate each recorded); the curves of chosen runs
 * are loaded apart (get-experiment-curves.ts). Also the groups of runs that differ only in seed.
 */
export async function listExperiments() {
  const rows = await getDb().trainingRun.findMany({
    select: {
      id: true,
      arch: true,
      status: true,
      options: true,
      backend: true,
      card: true,
      origin: true,
      trainedHere: true,
      epochsTotal: true,
      epochsDone: true,
      bestEpoch: true,
      bestValMiou: true,
      wallSeconds: true,
      createdAt: true,
      checkpoint: { select: { id: true, name: true, card: true, config: true, evaluationRuns: TRAINED_EVALUATIONS_SELECT } },
      epochs: { select: { lr: true }, orderBy: { lr: 'desc' }, take: 1 },
    },
  });
  const runs: ExperimentRun[] = rows
    // Runs of this installation newest first, then the imported cards in their folders' natural order.
    .sort((a, b) =>
      a.origin && b.origin
        ? a.origin.localeCompare(b.origin, 'en', { numeric: true })
        : Number(!!a.origin) - Number(!!b.origin) || b.createdAt.getTime() - a.createdAt.getTime(),
    )
    .map((r) => ({
      id: r.id,
      name: nameOf(r),
      source: r.origin ? 'imported' : r.trainedHere ? 'trained here' : 'checkpoint history',
      origin: r.origin,
      status: r.status,
      arch: r.arch,
      recipe: recipeOfRun({ ...r, recordedPeakLr: r.epochs[0]?.lr ?? null }),
      epochsDone: r.epochsDone,
      epochsTotal: r.epochsTotal,
      bestEpoch: r.bestEpoch,
      selectionMiou: r.bestValMiou,
      evaluations: trainedEvaluations(r.checkpoint?.evaluationRuns),
      wallSeconds: r.wallSeconds,
      checkpoint: r.checkpoint && { id: r.checkpoint.id, name: r.checkpoint.name },
    }));
  // Two runs of one name (a retrained checkpoint, cards of one folder name in two sweeps) are told apart by their id's tail.
  const seen = new Map<string, number>();
  for (const r of runs) seen.set(r.name, (seen.get(r.name) ?? 0) + 1);
  for (const r of runs) if (seen.get(r.name)! > 1) r.name = `${r.name} · ${r.id.slice(-6)}`;
  const seedGroups = groupSeedRuns(
    runs.map((r) => ({
      ...r,
      evaluated: r.evaluations.map((e) => ({ dataset: e.dataset, split: e.split, miou: e.run?.status === 'completed' ? e.run.miou : null })),
    })),
  );
  return { runs, seedGroups };
}

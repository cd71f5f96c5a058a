import { countPredictions } from './count-predictions.ts';
import { getDb } from '../db/client.ts';
import { describeRecipe } from '../training/describe-recipe.ts';
import { TRAINED_EVALUATIONS_SELECT, trainedEvaluations } from './trained-evaluations.ts';

export async function listRuns({ limit = 50 }: { limit?: number } = {}) {
  const db = getDb();
  const [evaluations, trainings, checkpoints, datasets] = await Promise.all([
    db.evaluationRun.findMany({
      orderBy: { createdAt: 'desc' },
      take: limit,
      include: { checkpoint: { select: { id: true, name: true } }, dataset: { select: { name: true } }, robustness: { select: { runId: true } } },
    }),
    db.trainingRun.findMany({
      // Runs imported from the sweeps' cards are records, not runs to follow: they are on the Experiments page.
      where: { origin: null },
      orderBy: { createdAt: 'desc' },
      take: limit,
      include: {
        checkpoint: {
          select: {
            id: true,
            name: true,
            evaluationRuns: TRAINED_EVALUATIONS_SELECT,
          },
        },
      },
    }),
    db.checkpoint.findMany({ orderBy: [{ arch: 'asc' }, { createdAt: 'desc' }], select: { id: true, name: true, arch: true, createdAt: true } }),
    db.dataset.findMany({ select: { id: true, name: true, kind: true } }),
  ]);
  const done = await countPredictions(evaluations);
  return {
    evaluations: evaluations.map((r) => ({ ...r, predictions: done.get(r.id) ?? 0 })),
    trainings: trainings.map(({ checkpoint, ...t }) => ({
      ...t,
      recipe: describeRecipe(t.options),
      checkpoint: checkpoint && { id: checkpoint.id, name: checkpoint.name },
      evaluations: trainedEvaluations(checkpoint?.evaluationRuns),
    })),
    checkpoints,
    datasets,
  };
}

import { countPredictions } from './count-predictions.ts';
import { getDb } from '../db/client.ts';
import { DEFAULT_EVALUATIONS } from '../evaluation/queue-default-evaluations.ts';
import { describeRecipe } from '../training/describe-recipe.ts';

export async function listRuns({ limit = 50 }: { limit?: number } = {}) {
  const db = getDb();
  const [evaluations, trainings, checkpoints, datasets] = await Promise.all([
    db.evaluationRun.findMany({
      orderBy: { createdAt: 'desc' },
      take: limit,
      include: { checkpoint: { select: { id: true, name: true } }, dataset: { select: { name: true } }, robustness: { select: { runId: true } } },
    }),
    db.trainingRun.findMany({
      orderBy: { createdAt: 'desc' },
      take: limit,
      include: {
        checkpoint: {
          select: {
            id: true,
            name: true,
            evaluationRuns: {
              where: { tta: 'none' },
              orderBy: { createdAt: 'desc' },
              select: { id: true, status: true, miou: true, split: true, dataset: { select: { name: true } } },
            },
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
      // The runs train → evaluate → rank queues (server/training/queue-trained-evaluations.ts): the newest of each default target.
      evaluations: DEFAULT_EVALUATIONS.map((target) => ({
        ...target,
        run: checkpoint?.evaluationRuns.find((e) => e.dataset.name === target.dataset && e.split === target.split) ?? null,
      })),
    })),
    checkpoints,
    datasets,
  };
}

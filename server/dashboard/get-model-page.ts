import { getDb } from '../db/client.ts';
import { importedCardSchema, modelCardSchema } from '../schemas/checkpoint.ts';
import { confusionRowsSchema, evaluationMetricsSchema, perClassIouSchema } from '../schemas/evaluation.ts';
import { parseJson } from '../schemas/common.ts';
import { adapterSchema } from '../onnx-import/adapter.ts';
import { AppError } from '../errors.ts';

export async function getModelPage({ checkpointId }: { checkpointId: string }) {
  const db = getDb();
  const ck = await db.checkpoint.findUnique({
    where: { id: checkpointId },
    include: {
      trainingRuns: { orderBy: { createdAt: 'desc' }, take: 1, include: { epochs: { orderBy: { epoch: 'asc' } } } },
      evaluationRuns: {
        orderBy: { createdAt: 'desc' },
        take: 50,
        include: { dataset: { select: { name: true } }, classMetrics: { orderBy: { classId: 'asc' } } },
      },
    },
  });
  if (!ck) throw new AppError('NOT_FOUND', `checkpoint ${checkpointId} not found`, 'No such model.');
  return {
    ...ck,
    // A trained checkpoint has a training card; an imported model or variant has its file's card and its adapter.
    card: ck.source === 'trained' ? parseJson(modelCardSchema, ck.card, `checkpoint ${ck.id} card`) : null,
    importedCard: ck.source === 'trained' ? null : parseJson(importedCardSchema, ck.card, `checkpoint ${ck.id} card`),
    adapter: ck.source === 'trained' ? null : parseJson(adapterSchema, ck.config, `checkpoint ${ck.id} adapter`),
    trainingRuns: ck.trainingRuns.map((t) => ({
      ...t,
      epochs: t.epochs.map((e) => ({ ...e, perClassIou: parseJson(perClassIouSchema, e.perClassIou, `training epoch ${e.id}`) })),
    })),
    evaluationRuns: ck.evaluationRuns.map((r) => ({
      ...r,
      metrics: r.metrics === null ? null : parseJson(evaluationMetricsSchema, r.metrics, `run ${r.id} metrics`),
      confusion: r.confusion === null ? null : parseJson(confusionRowsSchema, r.confusion, `run ${r.id} confusion`),
    })),
  };
}

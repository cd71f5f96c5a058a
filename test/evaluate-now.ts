import { getDb } from '../server/db/client.ts';
import { createEvaluationRun, type CreateEvaluationInput } from '../server/evaluation/create-evaluation-run.ts';
import { processEvaluationChunk } from '../server/evaluation/process-evaluation-chunk.ts';
import type { Tta } from '../server/inference/tta.ts';

/** Runs every chunk of a fresh evaluation in this process and returns the completed run. */
export async function evaluateNow(
  checkpointId: string,
  datasetId: string,
  split: 'val' | 'test',
  tta: Tta = 'none',
  extra: Pick<CreateEvaluationInput, 'calibration' | 'boundary' | 'costMatrix'> = {},
) {
  const { runId } = await createEvaluationRun({ checkpointId, datasetId, split, chunkSize: 64, tta, ...extra });
  const ids = (await getDb().datasetImage.findMany({ where: { datasetId, split }, select: { id: true }, orderBy: { key: 'asc' } })).map((i) => i.id);
  for (let i = 0; i < ids.length; i += 64) await processEvaluationChunk({ runId, imageIds: ids.slice(i, i + 64), retryCount: 0 });
  return getDb().evaluationRun.findUniqueOrThrow({
    where: { id: runId },
    include: {
      classMetrics: { orderBy: { classId: 'asc' } },
      predictions: { include: { image: { select: { key: true } } }, orderBy: { image: { key: 'asc' } } },
    },
  });
}

import { getDb } from '../db/client.ts';
import { parseJson } from '../schemas/common.ts';
import { perClassIouSchema } from '../schemas/evaluation.ts';

interface EpochCurvePoint {
  epoch: number;
  trainLoss: number;
  /** Loss on the selection split (held-out training blocks). */
  valLoss: number;
  /** mIoU on the selection split. */
  valMiou: number;
  /** IoU per class id on the selection split (null: class absent from truth and prediction). */
  perClassIou: (number | null)[];
}

/** The per-epoch history of the chosen runs only, in one query: run id → epochs in order (a run with none recorded maps to []). */
export async function getExperimentCurves({ runIds }: { runIds: readonly string[] }): Promise<Map<string, EpochCurvePoint[]>> {
  const rows = await getDb().trainingEpoch.findMany({
    where: { runId: { in: [...runIds] } },
    orderBy: [{ runId: 'asc' }, { epoch: 'asc' }],
    select: { runId: true, epoch: true, trainLoss: true, valLoss: true, valMiou: true, perClassIou: true },
  });
  const out = new Map<string, EpochCurvePoint[]>(runIds.map((id) => [id, []]));
  for (const { runId, perClassIou, ...e } of rows)
    out.get(runId)?.push({ ...e, perClassIou: parseJson(perClassIouSchema, perClassIou, `training run ${runId} epoch ${e.epoch} per-class IoU`) });
  return out;
}

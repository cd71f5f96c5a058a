import { getDb } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { costMatrixProblem } from '../metrics/safety-weighted-error.ts';
import { costMatrixSchema, type RunQualitySummary } from '../schemas/quality.ts';
import { confusionRowsSchema } from '../schemas/evaluation.ts';
import { parseJson } from '../schemas/common.ts';
import { bootstrapBlockSize } from '../metrics/bootstrap.ts';
import { confusionFromRows } from '../metrics/confusion-matrix.ts';
import { computeRunQuality } from './compute-run-quality.ts';

/**
 * Re-costs a finished run: stores the new cost matrix with the run and recomputes its
 * safety-weighted error (and interval) from the per-image counts already stored; no inference.
 * A refused matrix changes nothing.
 */
export async function setRunCostMatrix(input: { runId: string; costMatrix: unknown }): Promise<RunQualitySummary['safety']> {
  const problem = costMatrixProblem(input.costMatrix);
  if (problem) throw new AppError('INVALID_INPUT', `cost matrix refused: ${problem}`, `The cost matrix was refused: ${problem}.`);
  const costMatrix = parseJson(costMatrixSchema, input.costMatrix, 'cost matrix');
  const db = getDb();
  const run = await db.evaluationRun.findUnique({
    where: { id: input.runId },
    include: { dataset: { select: { kind: true } }, quality: { select: { summary: true } } },
  });
  if (!run) throw new AppError('NOT_FOUND', `run ${input.runId}`, 'No such evaluation run.');
  if (run.status !== 'completed' || !run.quality?.summary || !run.confusion) {
    throw new AppError(
      'INVALID_INPUT',
      `run ${run.id} is ${run.status} without a quality summary`,
      'Only a completed run with these metrics can be re-costed.',
    );
  }
  await db.runQuality.update({ where: { runId: run.id }, data: { costMatrix } });
  const total = confusionFromRows(parseJson(confusionRowsSchema, run.confusion, `run ${run.id} confusion`));
  const q = await computeRunQuality({ runId: run.id, blockSize: bootstrapBlockSize(run.dataset.kind), confusion: total.counts });
  if (!q)
    throw new AppError('INVALID_INPUT', `run ${run.id} has no per-image counts`, 'This run was evaluated before these metrics existed: evaluate it again.');
  await db.runQuality.update({ where: { runId: run.id }, data: { summary: q.summary, safetyError: q.safetyError } });
  return q.summary.safety;
}

import { getDb } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { UNFINISHED_EVALUATION_STATUSES } from '../run-status.ts';

/**
 * Stops an unfinished evaluation: chunks check the status and do no more work, and a
 * finalisation in progress sees it and stores no numbers.
 */
export async function cancelEvaluationRun({ runId }: { runId: string }): Promise<void> {
  const r = await getDb().evaluationRun.updateMany({
    where: { id: runId, status: { in: UNFINISHED_EVALUATION_STATUSES } },
    data: { status: 'cancelled', finishedAt: new Date(), error: 'cancelled by user' },
  });
  if (r.count === 0) throw new AppError('CONFLICT', `run ${runId} is already finished`, 'This evaluation has already finished.');
}

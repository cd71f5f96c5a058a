import { getDb } from '../db.ts';
import { AppError } from '../errors.ts';

/** Stops a queued or running evaluation: chunks check the status and do no more work. */
export async function cancelEvaluationRun({ runId }: { runId: string }): Promise<void> {
  const r = await getDb().evaluationRun.updateMany({
    where: { id: runId, status: { in: ['queued', 'running'] } },
    data: { status: 'cancelled', finishedAt: new Date(), error: 'cancelled by user' },
  });
  if (r.count === 0) throw new AppError('CONFLICT', `run ${runId} is not queued or running`, 'Only queued or running evaluations can be cancelled.');
}

import { getDb } from '../db/client.ts';
import { AppError } from '../errors.ts';

/**
 * Two completed evaluation runs of one dataset, for a pixel-level comparison; refuses anything
 * else with a message the page can show as it is.
 */
export async function loadRunPairOrThrow(a: string, b: string) {
  if (a === b) throw new AppError('INVALID_INPUT', `run ${a} compared with itself`, 'Choose two different runs to compare.');
  const db = getDb();
  const load = (id: string) =>
    db.evaluationRun.findUnique({
      where: { id },
      select: {
        id: true,
        status: true,
        datasetId: true,
        split: true,
        miou: true,
        checkpointId: true,
        checkpoint: { select: { name: true } },
        dataset: { select: { name: true, kind: true } },
      },
    });
  const [ra, rb] = await Promise.all([load(a), load(b)]);
  if (!ra || !rb) throw new AppError('NOT_FOUND', `run ${ra ? b : a} not found`, 'One of the runs does not exist.');
  if (ra.status !== 'completed' || rb.status !== 'completed')
    throw new AppError('CONFLICT', 'run not completed', 'Both runs must be completed to compare them.');
  if (ra.datasetId !== rb.datasetId)
    throw new AppError(
      'CONFLICT',
      `runs ${a} and ${b} are on different datasets`,
      'The two runs are on different datasets, so they share no images to compare pixel by pixel.',
    );
  return { a: ra, b: rb };
}

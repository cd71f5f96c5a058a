import { getDb } from '../db.ts';
import { AppError } from '../errors.ts';

export async function getModelPage({ checkpointId }: { checkpointId: string }) {
  const db = getDb();
  const ck = await db.checkpoint.findUnique({
    where: { id: checkpointId },
    include: {
      trainingRuns: { orderBy: { createdAt: 'desc' }, take: 1, include: { epochs: { orderBy: { epoch: 'asc' } } } },
      evaluationRuns: { orderBy: { createdAt: 'desc' }, take: 50, include: { dataset: { select: { name: true } }, classMetrics: { orderBy: { classId: 'asc' } } } },
    },
  });
  if (!ck) throw new AppError('NOT_FOUND', `checkpoint ${checkpointId} not found`, 'No such model.');
  return ck;
}

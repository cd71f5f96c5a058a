import { getDb } from '../db/client.ts';
import { AppError } from '../errors.ts';

/** Worker side of the round trip: marks the check completed, naming the worker process. */
export async function runHealthCheck({ healthCheckId }: { healthCheckId: string }): Promise<void> {
  const db = getDb();
  const row = await db.healthCheck.findUnique({ where: { id: healthCheckId } });
  if (!row) throw new AppError('NOT_FOUND', `health check ${healthCheckId} not found`, 'That health check no longer exists.');
  await db.healthCheck.update({ where: { id: healthCheckId }, data: { status: 'completed', workerPid: process.pid, completedAt: new Date() } });
}

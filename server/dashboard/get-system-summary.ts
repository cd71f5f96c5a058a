import { getDb } from '../db/client.ts';

export async function getSystemSummary(): Promise<Record<string, number>> {
  const db = getDb();
  const [datasets, images, checkpoints, evaluations, predictions] = await Promise.all([
    db.dataset.count(),
    db.datasetImage.count(),
    db.checkpoint.count(),
    db.evaluationRun.count(),
    db.prediction.count(),
  ]);
  return { datasets, images, checkpoints, evaluations, predictions };
}

import { getDb } from '../db/client.ts';
import { AppError } from '../errors.ts';

export async function getImagePage({ imageId }: { imageId: string }) {
  const db = getDb();
  const image = await db.datasetImage.findUnique({ where: { id: imageId }, include: { dataset: { select: { name: true, kind: true } } } });
  if (!image) throw new AppError('NOT_FOUND', `image ${imageId}`, 'No such image.');
  const preds = await db.prediction.findMany({
    where: { imageId, run: { status: 'completed' } },
    orderBy: { createdAt: 'desc' },
    select: {
      id: true,
      imageMiou: true,
      latencyMs: true,
      run: { select: { id: true, backend: true, checkpoint: { select: { id: true, name: true, source: true } } } },
    },
  });
  // Latest prediction per model.
  const seen = new Set<string>();
  const latest = preds.filter((p) => !seen.has(p.run.checkpoint.id) && seen.add(p.run.checkpoint.id));
  return { image, predictions: latest };
}

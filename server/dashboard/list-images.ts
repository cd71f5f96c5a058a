import { getDb } from '../db/client.ts';
import { classPixelsSchema } from '../schemas/dataset.ts';
import { parseJson } from '../schemas/common.ts';
import { latestCompletedRunIds } from './latest-runs.ts';
import { runDisplayName } from '../inference/tta.ts';

/**
 * Images of a split with each model's per-image mIoU (from its latest completed run),
 * sortable worst-first by the mean over models, filterable by a class present in the truth.
 */
export async function listImages({
  datasetName,
  split,
  classId,
  sort = 'worst',
}: {
  datasetName: string;
  split: string;
  classId?: number;
  sort?: 'worst' | 'best' | 'name';
}) {
  const db = getDb();
  const dataset = await db.dataset.findUnique({ where: { name: datasetName } });
  if (!dataset) return { models: [], images: [] };
  const runs = await db.evaluationRun.findMany({
    where: { id: { in: await latestCompletedRunIds(dataset.id, split) } },
    select: { id: true, tta: true, checkpoint: { select: { name: true } } },
  });
  const images = await db.datasetImage.findMany({
    where: { datasetId: dataset.id, split },
    select: { id: true, key: true, classPixels: true },
    orderBy: { key: 'asc' },
  });
  const preds = await db.prediction.findMany({ where: { runId: { in: runs.map((r) => r.id) } }, select: { runId: true, imageId: true, imageMiou: true } });
  const byImage = new Map<string, Map<string, number | null>>();
  for (const p of preds) {
    const m = byImage.get(p.imageId) ?? new Map();
    m.set(p.runId, p.imageMiou);
    byImage.set(p.imageId, m);
  }
  const rows = images
    .filter((img) => classId === undefined || parseJson(classPixelsSchema, img.classPixels, `image ${img.key} class pixels`)[classId] > 0)
    .map((img) => {
      const scores = runs.map((r) => byImage.get(img.id)?.get(r.id) ?? null);
      const present = scores.filter((s): s is number => s !== null);
      return { id: img.id, key: img.key, scores, mean: present.length ? present.reduce((a, b) => a + b, 0) / present.length : null };
    });
  rows.sort((a, b) => (sort === 'name' ? a.key.localeCompare(b.key) : ((a.mean ?? 2) - (b.mean ?? 2)) * (sort === 'worst' ? 1 : -1)));
  return { models: runs.map((r) => ({ runId: r.id, name: runDisplayName(r.checkpoint.name, r.tta) })), images: rows };
}

import { CLASSES } from '../../models/classes.ts';
import { getDb } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { confusionRowsSchema } from '../schemas/evaluation.ts';
import { parseJson } from '../schemas/common.ts';
import { bootstrapBlockSize, type PairedComparison } from '../metrics/bootstrap.ts';
import { confusionFromRows } from '../metrics/confusion-matrix.ts';
import { comparePairedImages } from '../metrics/paired-comparison.ts';

/** Two evaluation runs side by side: per-class IoU and deltas, plus the paired test when they share images. */
export async function compareRuns({ a, b }: { a: string; b: string }) {
  const db = getDb();
  const load = (id: string) =>
    db.evaluationRun.findUnique({
      where: { id },
      include: { checkpoint: { select: { name: true } }, dataset: { select: { name: true, kind: true } }, classMetrics: true },
    });
  const [ra, rb] = await Promise.all([load(a), load(b)]);
  if (!ra || !rb) throw new AppError('NOT_FOUND', 'run not found', 'One of the runs does not exist.');
  if (ra.status !== 'completed' || rb.status !== 'completed')
    throw new AppError('CONFLICT', 'run not completed', 'Both runs must be completed to compare them.');
  const iou = (r: typeof ra, k: number) => r.classMetrics.find((c) => c.classId === k)?.iou ?? null;
  const rows = CLASSES.map((c) => {
    const x = iou(ra, c.id);
    const y = iou(rb, c.id);
    return { classId: c.id, a: x, b: y, delta: x !== null && y !== null ? x - y : null };
  });
  const paired = ra.datasetId === rb.datasetId ? await comparePair(a, b, bootstrapBlockSize(ra.dataset.kind)) : null;
  return { a: ra, b: rb, rows, paired };
}

const pairedCache = new Map<string, PairedComparison>();

/** Paired bootstrap of two completed runs over the images both evaluated (cached: completed runs never change). */
export async function comparePair(runA: string, runB: string, blockSize: number): Promise<PairedComparison | null> {
  const key = `${runA}|${runB}|${blockSize}`;
  const hit = pairedCache.get(key);
  if (hit) return hit;
  const load = async (runId: string) => {
    const preds = await getDb().prediction.findMany({ where: { runId }, select: { imageId: true, confusion: true }, orderBy: { image: { key: 'asc' } } });
    return preds.map((p) => ({
      key: p.imageId,
      confusion: confusionFromRows(parseJson(confusionRowsSchema, p.confusion, `run ${runId} prediction of image ${p.imageId}`)),
    }));
  };
  const [a, b] = await Promise.all([load(runA), load(runB)]);
  const result = comparePairedImages(a, b, blockSize);
  if (result) pairedCache.set(key, result);
  return result;
}

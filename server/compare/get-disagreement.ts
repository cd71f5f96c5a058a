import { CLASSES, NUM_CLASSES } from '../../models/classes.ts';
import { getDb } from '../db/client.ts';
import { confusionRowsSchema } from '../schemas/evaluation.ts';
import { parseJson } from '../schemas/common.ts';
import { comparePair } from '../dashboard/compare-runs.ts';
import { AppError } from '../errors.ts';
import { bootstrapBlockSize } from '../metrics/bootstrap.ts';
import { computeMetrics } from '../metrics/class-metrics.ts';
import { confusionFromRows } from '../metrics/confusion-matrix.ts';
import { totalCompared } from '../metrics/disagreement.ts';
import { getDisagreementMap } from './disagreement-map-cache.ts';
import { loadRunPairOrThrow } from './load-run-pair.ts';

export interface RankedImage {
  imageId: string;
  key: string;
  a: number;
  b: number;
  /** a − b: per-image mIoU, or the class's per-image IoU when a class is chosen. */
  delta: number;
}

/** Images per direction in the ranked lists. */
const RANKED = 8;

/**
 * Two runs on the same images, pixel by pixel: the images ranked by how much better one run does
 * than the other (per-image mIoU, or one class's per-image IoU), and for one image the four-way
 * agreement counts behind the map. The paired bootstrap of the whole runs heads the page.
 */
export async function getDisagreement({ a, b, imageId, classId }: { a: string; b: string; imageId?: string; classId?: number }) {
  if (classId !== undefined && !(Number.isInteger(classId) && classId >= 0 && classId < NUM_CLASSES))
    throw new AppError('INVALID_INPUT', `class ${classId}`, `No such class: choose one of 0..${NUM_CLASSES - 1}.`);
  const pair = await loadRunPairOrThrow(a, b);
  const db = getDb();
  const preds = (runId: string) =>
    db.prediction.findMany({
      where: { runId },
      select: { id: true, imageId: true, imageMiou: true, confusion: true, image: { select: { key: true } } },
      orderBy: { image: { key: 'asc' } },
    });
  const [pa, pb] = await Promise.all([preds(a), preds(b)]);
  const bByImage = new Map(pb.map((p) => [p.imageId, p]));
  const score = (p: (typeof pa)[number]): number | null => {
    if (classId === undefined) return p.imageMiou;
    const iou = computeMetrics(confusionFromRows(parseJson(confusionRowsSchema, p.confusion, `prediction ${p.id} confusion`))).perClass[classId].iou;
    return Number.isNaN(iou) ? null : iou;
  };
  const shared: RankedImage[] = [];
  let sharedCount = 0;
  for (const p of pa) {
    const q = bByImage.get(p.imageId);
    if (!q) continue;
    sharedCount++;
    const x = score(p);
    const y = score(q);
    // A class absent from an image's truth and one model's prediction has no IoU there: nothing to rank.
    if (x === null || y === null) continue;
    shared.push({ imageId: p.imageId, key: p.image.key, a: x, b: y, delta: x - y });
  }
  if (sharedCount === 0) throw new AppError('CONFLICT', `runs ${a} and ${b} share no images`, 'The two runs share no evaluated images.');
  const aBetter = shared
    .filter((r) => r.delta > 0)
    .sort((x, y) => y.delta - x.delta)
    .slice(0, RANKED);
  const bBetter = shared
    .filter((r) => r.delta < 0)
    .sort((x, y) => x.delta - y.delta)
    .slice(0, RANKED);
  const selectedId =
    imageId ?? [...shared].sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta))[0]?.imageId ?? pa.find((p) => bByImage.has(p.imageId))!.imageId;
  const selA = pa.find((p) => p.imageId === selectedId);
  const selB = bByImage.get(selectedId);
  if (!selA || !selB) throw new AppError('NOT_FOUND', `image ${selectedId} not in both runs`, 'That image was not evaluated by both runs.');
  const image = await db.datasetImage.findUniqueOrThrow({ where: { id: selectedId }, select: { id: true, key: true, width: true, height: true } });
  const map = await getDisagreementMap({ a, b, imageId: selectedId, classId });
  const paired = await comparePair(a, b, bootstrapBlockSize(pair.a.dataset.kind));
  return {
    a: pair.a,
    b: pair.b,
    classId,
    className: classId === undefined ? null : CLASSES[classId].name,
    paired,
    sharedImages: sharedCount,
    ranked: shared.length,
    aBetter,
    bBetter,
    selected: {
      image,
      predictionA: { id: selA.id, score: score(selA) },
      predictionB: { id: selB.id, score: score(selB) },
      counts: map.counts,
      compared: totalCompared(map.counts),
    },
  };
}

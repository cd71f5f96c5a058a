import { getDb } from '../db/client.ts';
import { confusionRowsSchema } from '../schemas/evaluation.ts';
import { parseJson } from '../schemas/common.ts';
import type { Leaderboard, LeaderboardRow } from '../dashboard/get-leaderboard.ts';
import { bootstrapBlockSize } from '../metrics/bootstrap.ts';
import { confusionFromRows, type ConfusionMatrix } from '../metrics/confusion-matrix.ts';
import { comparePairedImages } from '../metrics/paired-comparison.ts';
import { summarizeImages } from '../metrics/summarize-images.ts';
import { describeSlice, sliceImageIds, sliceQuery, type Slice } from './slice.ts';
import { ByteLru } from '../render/render-cache.ts';

export interface SliceInfo {
  slice: Slice;
  label: string;
  query: string;
  images: number;
  splitImages: number;
}

const nanToNull = (v: number) => (Number.isFinite(v) ? v : null);

const g = globalThis as unknown as { __pixeldriveSliceBoards?: ByteLru<Leaderboard & { sliceInfo: SliceInfo }> };
/** Completed runs never change, so a slice of the same runs always gives the same board (one entry ≈ a few KB). */
const boards = (g.__pixeldriveSliceBoards ??= new ByteLru<Leaderboard & { sliceInfo: SliceInfo }>(256));

/**
 * The leaderboard recomputed on a slice of its split: the same runs, each scored on the slice's
 * images only, with the same formulas as a finished run (summed confusion, block bootstrap CIs,
 * paired bootstrap between adjacent ranks and between a variant and its parent).
 */
export async function sliceLeaderboard({ board, slice }: { board: Leaderboard; slice: Slice }): Promise<Leaderboard & { sliceInfo: SliceInfo }> {
  const dataset = board.dataset;
  const base = { slice, label: describeSlice(slice), query: sliceQuery(slice) };
  if (!dataset) return { ...board, sliceInfo: { ...base, images: 0, splitImages: 0 } };
  const key = `${board.rows.map((r) => r.runId).join(',')}|${dataset.id}|${board.split}|${base.query}`;
  const hit = boards.get(key);
  if (hit) return hit;
  const db = getDb();
  const [imageIds, splitImages] = await Promise.all([
    sliceImageIds({ datasetId: dataset.id, split: board.split, slice }),
    db.datasetImage.count({ where: { datasetId: dataset.id, split: board.split } }),
  ]);
  const preds = await db.prediction.findMany({
    where: { runId: { in: board.rows.map((r) => r.runId) }, imageId: { in: imageIds } },
    select: { runId: true, imageId: true, confusion: true, imageMiou: true },
    orderBy: { image: { key: 'asc' } },
  });
  const byRun = new Map<string, { key: string; confusion: ConfusionMatrix; imageMiou: number | null }[]>();
  for (const p of preds) {
    const list = byRun.get(p.runId) ?? [];
    list.push({
      key: p.imageId,
      confusion: confusionFromRows(parseJson(confusionRowsSchema, p.confusion, `run ${p.runId} prediction of image ${p.imageId}`)),
      imageMiou: p.imageMiou,
    });
    byRun.set(p.runId, list);
  }
  const blockSize = bootstrapBlockSize(dataset.kind);
  const rows: LeaderboardRow[] = board.rows
    .filter((r) => byRun.has(r.runId))
    .map((r) => {
      const images = byRun.get(r.runId)!;
      const { metrics: m, boot } = summarizeImages(
        images.map((i) => i.confusion),
        blockSize,
      );
      const mious = images.map((i) => i.imageMiou).filter((v): v is number => v !== null);
      return {
        ...r,
        miou: nanToNull(m.miou),
        miouLow: nanToNull(boot.miou.low),
        miouHigh: nanToNull(boot.miou.high),
        pixelAccuracy: nanToNull(m.pixelAccuracy),
        meanImageMiou: mious.length ? mious.reduce((a, b) => a + b, 0) / mious.length : null,
        images: images.length,
        perClass: m.perClass.map((c) => ({
          classId: c.classId,
          iou: nanToNull(c.iou),
          low: nanToNull(boot.perClass[c.classId].low),
          high: nanToNull(boot.perClass[c.classId].high),
        })),
        parent: r.parent && { ...r.parent, vs: null },
      };
    })
    .sort((a, b) => (b.miou ?? -1) - (a.miou ?? -1));
  rows.forEach((r, i) => (r.rank = i + 1));
  const paired = (a: string, b: string) => comparePairedImages(byRun.get(a) ?? [], byRun.get(b) ?? [], blockSize);
  for (const r of rows) if (r.parent?.runId) r.parent.vs = paired(r.runId, r.parent.runId);
  const comparisons = [];
  for (let i = 0; i + 1 < rows.length; i++) {
    const result = paired(rows[i].runId, rows[i + 1].runId);
    if (result) comparisons.push({ a: rows[i].runId, b: rows[i + 1].runId, aName: rows[i].name, bName: rows[i + 1].name, result });
  }
  const out = { ...board, rows, comparisons, sliceInfo: { ...base, images: imageIds.length, splitImages } };
  boards.set(key, out, 1);
  return out;
}

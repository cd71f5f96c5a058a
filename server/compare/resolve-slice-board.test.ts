import { beforeAll, describe, expect, it } from 'vitest';
// Exports the fixture checkpoints' ONNX graphs on first use (as the worker does).
import '../inference/tfjs-support.ts';
import { NUM_CLASSES } from '../../models/classes.ts';
import { makeTestCheckpoint } from '../../test/checkpoint-fixture.ts';
import { evaluateNow } from '../../test/evaluate-now.ts';
import { OFFICIAL_DIR } from '../../test/fixtures.ts';
import { registerCheckpoint } from '../checkpoints/register-checkpoints.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { getDb } from '../db/client.ts';
import { confusionRowsSchema } from '../schemas/evaluation.ts';
import { parseJson } from '../schemas/common.ts';
import { resolveSliceBoard } from './resolve-slice-board.ts';
import { createSavedFilter } from './saved-filters.ts';
import { parseSlice, sliceImageIds } from './slice.ts';

const target = { dataset: 'carla-official', split: 'test' } as const;
let datasetId: string;
let runIds: string[];

beforeAll(async () => {
  ({ id: datasetId } = await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' }));
  runIds = [];
  for (const [arch, seed] of [
    ['unet', 61],
    ['segnet', 62],
  ] as const)
    runIds.push((await evaluateNow((await registerCheckpoint(await makeTestCheckpoint(arch, seed))).id, datasetId, 'test')).id);
});

/** Each of this file's runs' per-class numbers on a board. */
const perClassOf = (board: Awaited<ReturnType<typeof resolveSliceBoard>>['whole']) => runIds.map((id) => board.rows.find((r) => r.runId === id)!.perClass);

describe('resolveSliceBoard', () => {
  it('a slice equal to the whole split gives each run its stored per-class IoU and interval exactly', async () => {
    const { sliced, sliceError } = await resolveSliceBoard({ params: { from: '0', to: '3' }, target });
    expect(sliceError).toBeNull();
    expect(sliced!.sliceInfo).toMatchObject({ images: 4, splitImages: 4 });
    const stored = await Promise.all(runIds.map((runId) => getDb().classMetric.findMany({ where: { runId }, orderBy: { classId: 'asc' } })));
    expect(perClassOf(sliced!)).toEqual(stored.map((run) => run.map((m) => ({ classId: m.classId, iou: m.iou, low: m.iouLow, high: m.iouHigh }))));
    expect(stored[0].some((m) => m.iou !== null && m.iouLow !== null && m.iouLow < m.iouHigh!)).toBe(true); // real intervals, not all-null rows
  });

  it('a two-frame slice gives the per-class IoU of the summed confusion of exactly those frames', async () => {
    const { sliced } = await resolveSliceBoard({ params: { from: '1', to: '2' }, target });
    const ids = await sliceImageIds({ datasetId, split: 'test', slice: parseSlice({ from: '1', to: '2' }) });
    expect(ids).toHaveLength(2);
    expect(sliced!.sliceInfo).toMatchObject({ images: 2, label: 'frames 1–2', query: 'from=1&to=2' });
    for (const [i, runId] of runIds.entries()) {
      // Recomputed by hand from the stored per-image confusions: sum, then TP / (TP + FP + FN) per class.
      const preds = await getDb().prediction.findMany({ where: { runId, imageId: { in: ids } } });
      const sum = Array.from({ length: NUM_CLASSES }, () => new Array<number>(NUM_CLASSES).fill(0));
      for (const p of preds) parseJson(confusionRowsSchema, p.confusion, 'test confusion').forEach((row, t) => row.forEach((v, c) => (sum[t][c] += v)));
      const expected = sum.map((row, k) => {
        const truth = row.reduce((a, b) => a + b, 0);
        const predicted = sum.reduce((a, r) => a + r[k], 0);
        const union = truth + predicted - row[k];
        return union === 0 ? null : row[k] / union;
      });
      const got = perClassOf(sliced!)[i];
      expect(got.map((c) => c.iou)).toEqual(expected);
      for (const c of got) if (c.iou !== null && c.low !== null) expect(c.low <= c.iou && c.iou <= c.high!).toBe(true);
    }
    const whole = await resolveSliceBoard({ params: {}, target });
    expect(perClassOf(sliced!)).not.toEqual(perClassOf(whole.whole));
  });

  it('a saved filter gives its own split and the same numbers as its slice in the URL', async () => {
    const f = await createSavedFilter({ name: 'resolve frames 1-2', ...target, slice: { from: 1, to: 2 } });
    const byFilter = await resolveSliceBoard({ params: { filter: f.id }, target: { dataset: 'carla-drive', split: 'val' } });
    const byUrl = await resolveSliceBoard({ params: { from: '1', to: '2' }, target });
    expect(byFilter.target).toEqual(target);
    expect(byFilter.filter?.name).toBe('resolve frames 1-2');
    expect(perClassOf(byFilter.sliced!)).toEqual(perClassOf(byUrl.sliced!));
  });

  it('bad slice parameters or an unknown saved filter: the user message, and the whole split unsliced', async () => {
    const bad = await resolveSliceBoard({ params: { from: '3', to: '1' }, target });
    expect(bad.sliceError).toBe('Invalid slice (slice: the first frame comes after the last).');
    expect(bad.sliced).toBeNull();
    expect(bad.slice).toEqual({});
    const missing = await resolveSliceBoard({ params: { filter: 'no such filter' }, target });
    expect(missing.sliceError).toMatch(/No saved filter “no such filter”/);
    expect(missing.sliced).toBeNull();
  });
});

import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import '../inference/tfjs-support.ts';
import { TORCH_FIXTURE, TORCH_FIXTURE_ADAPTER } from '../../test/bad-model-imports.ts';
import { makeTestCheckpoint } from '../../test/checkpoint-fixture.ts';
import { evaluateNow } from '../../test/evaluate-now.ts';
import { DRIVE_DIR, OFFICIAL_DIR } from '../../test/fixtures.ts';
import { registerCheckpoint } from '../checkpoints/register-checkpoints.ts';
import { renderFlickerFrame } from '../dashboard/render-flicker-frame.ts';
import { config } from '../config.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { decodeLabelPng } from '../dataset/label-png.ts';
import { loadGroundTruth } from '../dataset/load-ground-truth.ts';
import { getDb } from '../db/client.ts';
import { importOnnxModel } from '../onnx-import/import-onnx-model.ts';
import { runQualitySummarySchema } from '../schemas/quality.ts';
import { BOUNDARY_NOT_ASKED, NO_PROBABILITIES_REASON } from './compute-run-quality.ts';
import { createEvaluationRun } from './create-evaluation-run.ts';
import { setRunCostMatrix } from './set-run-cost-matrix.ts';
import { defaultCostMatrix } from '../metrics/safety-weighted-error.ts';

const quality = async (runId: string) => {
  const row = await getDb().runQuality.findUniqueOrThrow({ where: { runId } });
  return { ...row, summary: runQualitySummarySchema.parse(row.summary) };
};

beforeAll(async () => {
  config.modelsDir = await mkdtemp(path.join(os.tmpdir(), 'pixeldrive-models-'));
});

describe('metrics beyond mIoU in an evaluation run', () => {
  it('stores calibration, safety, flicker, boundary and small-object numbers; flicker equals a plain count over the stored labels', async () => {
    const { id: datasetId } = await importDataset({ root: DRIVE_DIR, name: 'carla-drive', kind: 'drive' });
    const ck = await registerCheckpoint(await makeTestCheckpoint('unet', 51));
    const run = await evaluateNow(ck.id, datasetId, 'val', 'none', { calibration: true, boundary: true });
    expect(run.status).toBe('completed');
    const q = await quality(run.id);
    const s = q.summary;
    expect(s.images).toBe(80);

    // Calibration: every counted pixel lands in one bin; the curve starts at full coverage with the run's own mIoU.
    if (!s.calibration.available) throw new Error('calibration should be available for a checkpoint');
    const counted = (run.confusion as number[][]).flat().reduce((a, b) => a + b, 0);
    expect(s.calibration.reliability.reduce((a, b) => a + b.pixels, 0)).toBe(counted);
    expect(s.calibration.ece.estimate).toBeGreaterThan(0);
    expect(s.calibration.ece.estimate).toBeLessThan(1);
    expect(s.calibration.ece.low!).toBeLessThanOrEqual(s.calibration.ece.estimate!);
    expect(s.calibration.coverage[0]).toMatchObject({ threshold: 0, coverage: 1 });
    expect(s.calibration.coverage[0].miou).toBeCloseTo(run.miou!, 12);

    // Safety: stored on the row for the leaderboard, with an interval around it.
    expect(q.safetyError).toBe(s.safety.error.estimate);
    expect(s.safety.error.low!).toBeLessThanOrEqual(q.safetyError!);
    expect(s.safety.error.high!).toBeGreaterThanOrEqual(q.safetyError!);
    expect(s.safety.defaultCostMatrix).toBe(true);

    // Flicker: val is two blocks of 40 consecutive frames → 78 pairs. Recount with a plain loop.
    if (!s.temporal.available) throw new Error('temporal stability should be available on a drive');
    expect(s.temporal.pairs).toBe(78);
    const preds = run.predictions;
    let stable = 0;
    let flicker = 0;
    let from = 0;
    let changed = 0;
    for (let i = 1; i < preds.length; i++) {
      const [ka, kb] = [preds[i - 1].image.key, preds[i].image.key].map((k) => Number(k.split('_')[1]));
      if (kb !== ka + 1) continue;
      const [ga, gb] = await Promise.all([loadGroundTruth(preds[i - 1].imageId), loadGroundTruth(preds[i].imageId)]);
      const [pa, pb] = await Promise.all([decodeLabelPng(preds[i - 1].labelPng), decodeLabelPng(preds[i].labelPng)]);
      for (let p = 0; p < ga.data.length; p++) {
        if (ga.data[p] === 255 || gb.data[p] === 255) continue;
        from++;
        if (ga.data[p] !== gb.data[p]) changed++;
        else {
          stable++;
          if (pa.data[p] !== pb.data[p]) flicker++;
        }
      }
    }
    expect(s.temporal.flicker.estimate).toBeCloseTo(flicker / stable, 12);
    expect(s.temporal.gtChange.estimate).toBeCloseTo(changed / from, 12);
    expect(s.temporal.worst.length).toBeGreaterThan(0);
    expect(s.temporal.worst[0].flicker).toBeGreaterThanOrEqual(s.temporal.worst.at(-1)!.flicker);

    // Worst segments: 4 consecutive frames each; the two val blocks (39 pairs each) tile into
    // 3-pair windows, so the worst window flickers at least as much as the whole run.
    const segments = s.temporal.segments!;
    const overall = segments.filter((x) => x.classId === null);
    expect(overall).toHaveLength(3);
    expect(overall[0].flicker).toBeGreaterThanOrEqual(s.temporal.flicker.estimate!);
    for (const seg of segments) {
      const numbers = seg.frames.map((f) => Number(f.key.split('_')[1]));
      expect(numbers).toEqual(numbers.map((_, i) => numbers[0] + i));
    }
    // The worst segment's flicker recounted with a plain loop over its stored labels, and its middle
    // frame's strip image: magenta exactly where that frame's label differs from a neighbour's while the truth stays.
    const worstSeg = overall[0];
    const frames = await Promise.all(
      worstSeg.frames.map(async (f) => ({
        gt: await loadGroundTruth(f.imageId),
        pred: await decodeLabelPng(preds.find((p) => p.imageId === f.imageId)!.labelPng),
      })),
    );
    let segStable = 0;
    let segFlicker = 0;
    for (let i = 1; i < frames.length; i++) {
      for (let p = 0; p < frames[i].gt.data.length; p++) {
        const t = frames[i - 1].gt.data[p];
        if (t === 255 || t !== frames[i].gt.data[p]) continue;
        segStable++;
        if (frames[i - 1].pred.data[p] !== frames[i].pred.data[p]) segFlicker++;
      }
    }
    expect(worstSeg.flicker).toBeCloseTo(segFlicker / segStable, 12);
    const [prev, mid, next] = worstSeg.frames;
    const png = await renderFlickerFrame({ runId: run.id, prevId: prev.imageId, imageId: mid.imageId, nextId: next.imageId });
    const { data: rgba, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
    let magenta = 0;
    let expected = 0;
    for (let p = 0; p < frames[1].gt.data.length; p++) {
      if (rgba[p * 4] === 255 && rgba[p * 4 + 1] === 0 && rgba[p * 4 + 2] === 255 && rgba[p * 4 + 3] === 255) magenta++;
      const t = frames[1].gt.data[p];
      if (t === 255) continue;
      if ([0, 2].some((j) => frames[j].gt.data[p] === t && frames[j].pred.data[p] !== frames[1].pred.data[p])) expected++;
    }
    expect(info.channels).toBe(4);
    expect(magenta).toBe(expected);
    expect(expected).toBeGreaterThan(0);
    // A neighbour that is not the frame before, and a frame the run did not evaluate, are refused.
    await expect(renderFlickerFrame({ runId: run.id, prevId: next.imageId, imageId: mid.imageId })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(renderFlickerFrame({ runId: run.id, prevId: prev.imageId, imageId: 'no-such-image' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(renderFlickerFrame({ runId: run.id, imageId: mid.imageId })).rejects.toMatchObject({ code: 'INVALID_INPUT' });

    expect(s.boundary).toMatchObject({ available: true, bandPx: 20 });
    expect(s.smallObjects.recall.flat().reduce((a, b) => a + b.objects, 0)).toBeGreaterThan(0);
  }, 240_000);

  it('gives an imported model no calibration, with the reason; a held-out set no flicker; no boundary IoU when switched off', async () => {
    const { id: datasetId } = await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' });
    const { id, created } = await importOnnxModel({
      bytes: new Uint8Array(await readFile(TORCH_FIXTURE)),
      adapter: await readFile(TORCH_FIXTURE_ADAPTER, 'utf8'),
      name: 'torch fixture for quality',
    });
    try {
      const run = await evaluateNow(id, datasetId, 'test', 'none', { calibration: true, boundary: false });
      expect(run.status).toBe('completed');
      const { summary } = await quality(run.id);
      expect(summary.boundary).toEqual({ available: false, reason: BOUNDARY_NOT_ASKED });
      expect(summary.calibration).toEqual({ available: false, reason: NO_PROBABILITIES_REASON });
      expect(summary.temporal).toMatchObject({ available: false, reason: expect.stringMatching(/held-out/) });
      expect(summary.safety.error.estimate).toBeGreaterThanOrEqual(0);
    } finally {
      // The test files share one database and import-onnx-model.test.ts expects to be the first to import this fixture.
      if (created) await getDb().checkpoint.delete({ where: { id } });
    }
  }, 120_000);

  it('refuses a cost matrix that charges a right answer, and queues nothing', async () => {
    const db = getDb();
    const { id: datasetId } = await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' });
    const ck = await registerCheckpoint(await makeTestCheckpoint('unet', 52));
    const before = await db.evaluationRun.count();
    const bad = defaultCostMatrix().map((row, t) => row.map((v, p) => (t === 7 && p === 7 ? 2 : v)));
    await expect(createEvaluationRun({ checkpointId: ck.id, datasetId, split: 'test', costMatrix: bad })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      userMessage: expect.stringMatching(/\[7\]\[7\].*must cost 0/),
    });
    expect(await db.evaluationRun.count()).toBe(before);
  });

  it('uses and stores a custom cost matrix', async () => {
    const { id: datasetId } = await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' });
    const ck = await registerCheckpoint(await makeTestCheckpoint('unet', 53));
    const ones = defaultCostMatrix().map((row, t) => row.map((_, p) => (t === p ? 0 : 1)));
    const run = await evaluateNow(ck.id, datasetId, 'test', 'none', { costMatrix: ones });
    const q = await quality(run.id);
    expect(q.costMatrix).toEqual(ones);
    expect(q.summary.safety.defaultCostMatrix).toBe(false);
    // All mistakes cost 1 and no row weighting: the unweighted error is 1 − pixel accuracy.
    expect(q.summary.safety.unweightedError).toBeCloseTo(1 - (run.metrics as { pixelAccuracy: number }).pixelAccuracy, 12);
  }, 120_000);

  it('re-costs a finished run from its stored counts, and a refused matrix changes nothing', async () => {
    const { id: datasetId } = await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' });
    const ck = await registerCheckpoint(await makeTestCheckpoint('unet', 54));
    const run = await evaluateNow(ck.id, datasetId, 'test');
    const before = await quality(run.id);
    const doubled = defaultCostMatrix().map((row) => row.map((v) => 2 * v));
    const safety = await setRunCostMatrix({ runId: run.id, costMatrix: doubled });
    // Costs are linear in the matrix: doubling every cost doubles the error and its interval.
    expect(safety.error.estimate).toBeCloseTo(2 * before.safetyError!, 12);
    expect(safety.error.high).toBeCloseTo(2 * before.summary.safety.error.high!, 12);
    const after = await quality(run.id);
    expect(after.costMatrix).toEqual(doubled);
    expect(after.safetyError).toBe(safety.error.estimate);
    expect(after.summary.smallObjects).toEqual(before.summary.smallObjects);
    await expect(setRunCostMatrix({ runId: run.id, costMatrix: [[0]] })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    expect((await quality(run.id)).costMatrix).toEqual(doubled);
  }, 120_000);
});

import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
// Exports the fixture checkpoints' ONNX graphs on first use (as the worker does).
import '../inference/tfjs-support.ts';
import { makeTestCheckpoint } from '../../test/checkpoint-fixture.ts';
import { evaluateNow } from '../../test/evaluate-now.ts';
import { meanLumaBySharp, OFFICIAL_DIR } from '../../test/fixtures.ts';
import { registerCheckpoint } from '../checkpoints/register-checkpoints.ts';
import { getLeaderboard } from '../dashboard/get-leaderboard.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { getDb } from '../db/client.ts';
import { classPixelsSchema } from '../schemas/dataset.ts';
import { parseJson } from '../schemas/common.ts';
import { parseSlice, sliceImageIds } from './slice.ts';
import { sliceLeaderboard } from './slice-leaderboard.ts';

let datasetId: string;

beforeAll(async () => {
  ({ id: datasetId } = await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' }));
  for (const [arch, seed] of [
    ['unet', 51],
    ['deeplabv3plus', 52],
  ] as const)
    await evaluateNow((await registerCheckpoint(await makeTestCheckpoint(arch, seed))).id, datasetId, 'test');
});

/** What a slice may change in a row. */
const numbers = (r: Awaited<ReturnType<typeof getLeaderboard>>['rows'][number]) => ({
  runId: r.runId,
  rank: r.rank,
  miou: r.miou,
  miouLow: r.miouLow,
  miouHigh: r.miouHigh,
  pixelAccuracy: r.pixelAccuracy,
  meanImageMiou: r.meanImageMiou,
  images: r.images,
  perClass: r.perClass,
});

describe('sliceLeaderboard', () => {
  it('a slice that is the whole split reproduces the split leaderboard exactly: mIoU, CIs, per class, paired tests', async () => {
    const board = await getLeaderboard({ datasetName: 'carla-official', split: 'test' });
    expect(board.rows.length).toBeGreaterThanOrEqual(2);
    for (const slice of [parseSlice({}), parseSlice({ from: '0', to: '3' }), parseSlice({ brightMin: '0', brightMax: '255' })]) {
      const sliced = await sliceLeaderboard({ board, slice });
      expect(sliced.sliceInfo.images).toBe(4);
      expect(sliced.rows.map(numbers)).toEqual(board.rows.map(numbers));
      expect(sliced.comparisons).toEqual(board.comparisons);
    }
  });

  it('a one-frame slice scores each model with that frame alone (its stored per-image mIoU)', async () => {
    const board = await getLeaderboard({ datasetName: 'carla-official', split: 'test' });
    const sliced = await sliceLeaderboard({ board, slice: parseSlice({ from: '2', to: '2' }) });
    const [imageId] = await sliceImageIds({ datasetId, split: 'test', slice: parseSlice({ from: '2', to: '2' }) });
    expect(sliced.sliceInfo).toMatchObject({ images: 1, splitImages: 4, label: 'frames 2–2', query: 'from=2&to=2' });
    for (const r of sliced.rows) {
      const p = await getDb().prediction.findUniqueOrThrow({ where: { runId_imageId: { runId: r.runId, imageId } } });
      expect(r.images).toBe(1);
      expect(r.miou).toBeCloseTo(p.imageMiou!, 12);
    }
    expect(sliced.comparisons).toEqual([]); // one frame: nothing to resample
  });

  it('a class slice keeps only the frames whose truth has enough of the class', async () => {
    const images = await getDb().datasetImage.findMany({ where: { datasetId }, orderBy: { key: 'asc' } });
    const carShare = images.map((im) => {
      const px = parseJson(classPixelsSchema, im.classPixels, 'image class pixels');
      return px[10] / px.reduce((a, b) => a + b, 0);
    });
    const cut = [...carShare].sort((a, b) => a - b)[2]; // the two frames with the most car
    const ids = await sliceImageIds({ datasetId, split: 'test', slice: parseSlice({ has: '10', share: String(cut) }) });
    expect(ids).toEqual(images.filter((_, i) => carShare[i] >= cut).map((im) => im.id));
    expect(ids.length).toBeGreaterThanOrEqual(2);
    expect(ids.length).toBeLessThan(4);
  });

  it('a brightness range keeps exactly the frames whose mean luma (measured by libvips) lies in it, bounds included', async () => {
    const images = await getDb().datasetImage.findMany({ where: { datasetId }, orderBy: { key: 'asc' } });
    const luma = await Promise.all(images.map((im) => meanLumaBySharp(path.join(OFFICIAL_DIR, im.imagePath))));
    const sorted = [...luma].sort((a, b) => a - b);
    expect(sorted[0]).toBeLessThan(sorted[3]); // the four frames differ, so a range can split them
    // Between the darkest and the brightest frame, the bounds just inside the middle two's values.
    const [lo, hi] = [(sorted[0] + sorted[1]) / 2, (sorted[2] + sorted[3]) / 2];
    const ids = await sliceImageIds({ datasetId, split: 'test', slice: parseSlice({ brightMin: String(lo), brightMax: String(hi) }) });
    expect(ids).toEqual(images.filter((_, i) => luma[i] >= lo && luma[i] <= hi).map((im) => im.id));
    expect(ids).toHaveLength(2);
    // Bounds are inclusive: the darkest frame's own value as the upper bound keeps that frame alone.
    const darkest = images[luma.indexOf(sorted[0])];
    expect(await sliceImageIds({ datasetId, split: 'test', slice: parseSlice({ brightMax: String(darkest.brightness) }) })).toEqual([darkest.id]);

    const board = await getLeaderboard({ datasetName: 'carla-official', split: 'test' });
    const sliced = await sliceLeaderboard({ board, slice: parseSlice({ brightMin: String(lo), brightMax: String(hi) }) });
    expect(sliced.sliceInfo).toMatchObject({ images: 2, splitImages: 4, label: `brightness ${lo}–${hi}` });
    for (const r of sliced.rows) expect(r.images).toBe(2);
  });

  it('refuses a reversed frame range, a share without a class, a class out of range and a bad brightness range', () => {
    expect(() => parseSlice({ from: '5', to: '2' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => parseSlice({ share: '0.1' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => parseSlice({ has: '13' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => parseSlice({ from: '-1' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => parseSlice({ brightMin: '120', brightMax: '80' })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT', userMessage: expect.stringMatching(/lowest brightness is above the highest/) }),
    );
    expect(() => parseSlice({ brightMax: '256' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
    expect(() => parseSlice({ brightMin: 'dark' })).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });
});

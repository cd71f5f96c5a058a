import sharp from 'sharp';
// Exports the fixture checkpoints' ONNX graphs on first use (as the worker does).
import '../inference/tfjs-support.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeTestCheckpoint } from '../../test/checkpoint-fixture.ts';
import { evaluateNow } from '../../test/evaluate-now.ts';
import { OFFICIAL_DIR } from '../../test/fixtures.ts';
import { registerCheckpoint } from '../checkpoints/register-checkpoints.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { loadGroundTruth } from '../dataset/load-ground-truth.ts';
import { DISAGREEMENT_KINDS } from '../metrics/disagreement.ts';
import { getDisagreement } from './get-disagreement.ts';
import { renderDisagreement } from './render-disagreement.ts';

let runA: string;
let runB: string;
let imageIds: string[];

beforeAll(async () => {
  const { id: datasetId } = await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' });
  const [ca, cb] = [await registerCheckpoint(await makeTestCheckpoint('unet', 31)), await registerCheckpoint(await makeTestCheckpoint('segnet', 32))];
  const [ra, rb] = [await evaluateNow(ca.id, datasetId, 'test'), await evaluateNow(cb.id, datasetId, 'test')];
  runA = ra.id;
  runB = rb.id;
  imageIds = ra.predictions.map((p) => p.imageId);
});

describe('getDisagreement', () => {
  it('counts every non-ignored pixel of the image exactly once, and A-only / B-only swap when the runs swap', async () => {
    let disagreeing = 0;
    for (const imageId of imageIds) {
      const ab = await getDisagreement({ a: runA, b: runB, imageId });
      const ba = await getDisagreement({ a: runB, b: runA, imageId });
      const gt = await loadGroundTruth(imageId);
      expect(ab.selected.compared).toBe(gt.data.filter((v) => v !== 255).length);
      expect(ba.selected.counts).toEqual({
        bothRight: ab.selected.counts.bothRight,
        onlyA: ab.selected.counts.onlyB,
        onlyB: ab.selected.counts.onlyA,
        bothWrong: ab.selected.counts.bothWrong,
      });
      disagreeing += ab.selected.counts.onlyA + ab.selected.counts.onlyB;
    }
    // The two fixture networks do disagree, so the swap above compared real counts.
    expect(disagreeing).toBeGreaterThan(0);
  });

  it('ranks each image once, by the per-image mIoU difference, in both directions', async () => {
    const ab = await getDisagreement({ a: runA, b: runB });
    const ba = await getDisagreement({ a: runB, b: runA });
    expect(ab.sharedImages).toBe(imageIds.length);
    expect(ab.aBetter.length + ab.bBetter.length).toBeGreaterThan(0);
    expect(ab.aBetter.every((r) => r.delta > 0 && Math.abs(r.delta - (r.a - r.b)) < 1e-12)).toBe(true);
    expect(ab.bBetter.every((r) => r.delta < 0)).toBe(true);
    expect(ab.aBetter.map((r) => r.delta)).toEqual([...ab.aBetter.map((r) => r.delta)].sort((x, y) => y - x));
    expect(ba.bBetter.map((r) => r.imageId)).toEqual(ab.aBetter.map((r) => r.imageId));
    expect(ba.aBetter.map((r) => r.imageId)).toEqual(ab.bBetter.map((r) => r.imageId));
    // Nothing chosen: the image with the largest difference either way is shown.
    const top = [...ab.aBetter, ...ab.bBetter].sort((x, y) => Math.abs(y.delta) - Math.abs(x.delta))[0];
    expect(ab.selected.image.id).toBe(top.imageId);
  });

  it('with a class, compares only the pixels touching it and ranks by that class IoU', async () => {
    const all = await getDisagreement({ a: runA, b: runB, imageId: imageIds[0] });
    const road = await getDisagreement({ a: runA, b: runB, imageId: imageIds[0], classId: 7 });
    expect(road.className).toBe('Road');
    expect(road.selected.compared).toBeGreaterThan(0);
    expect(road.selected.compared).toBeLessThan(all.selected.compared);
  });

  it('draws each pixel in the colour of its count', async () => {
    const png = await renderDisagreement({ a: runA, b: runB, imageId: imageIds[1] });
    const { selected } = await getDisagreement({ a: runA, b: runB, imageId: imageIds[1] });
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([selected.image.width, selected.image.height]);
    for (const k of DISAGREEMENT_KINDS) {
      const rgb = [1, 3, 5].map((i) => parseInt(k.color.slice(i, i + 2), 16));
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] === 255 && data[i] === rgb[0] && data[i + 1] === rgb[1] && data[i + 2] === rgb[2]) n++;
      expect(n).toBe(selected.counts[k.key]);
    }
  });

  it('refuses a run compared with itself, an unknown run, an unknown class and an image outside the runs', async () => {
    await expect(getDisagreement({ a: runA, b: runA })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(getDisagreement({ a: runA, b: 'no-such-run' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(getDisagreement({ a: runA, b: runB, classId: 13 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(getDisagreement({ a: runA, b: runB, imageId: 'no-such-image' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(renderDisagreement({ a: runA, b: runB, imageId: 'no-such-image' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

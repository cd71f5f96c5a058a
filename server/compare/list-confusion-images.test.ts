import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
// Exports the fixture checkpoint's ONNX graph on first use (as the worker does).
import '../inference/tfjs-support.ts';
import { makeTestCheckpoint } from '../../test/checkpoint-fixture.ts';
import { evaluateNow } from '../../test/evaluate-now.ts';
import { OFFICIAL_DIR } from '../../test/fixtures.ts';
import { registerCheckpoint } from '../checkpoints/register-checkpoints.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { confusionRowsSchema } from '../schemas/evaluation.ts';
import { parseJson } from '../schemas/common.ts';
import { CONFUSION_HIGHLIGHT } from '../render/render-images.ts';
import { renderConfusionCell } from './render-confusion-cell.ts';
import { listConfusionImages } from './list-confusion-images.ts';

let run: Awaited<ReturnType<typeof evaluateNow>>;
/** The run's largest off-diagonal cell. */
let cell: { truth: number; pred: number };

beforeAll(async () => {
  const { id: datasetId } = await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' });
  run = await evaluateNow((await registerCheckpoint(await makeTestCheckpoint('deeplabv3plus', 41))).id, datasetId, 'test');
  const rows = parseJson(confusionRowsSchema, run.confusion, 'run confusion');
  let best = { truth: 0, pred: 1, v: -1 };
  rows.forEach((row, t) => row.forEach((v, p) => t !== p && v > best.v && (best = { truth: t, pred: p, v })));
  cell = best;
});

describe('listConfusionImages', () => {
  it('lists the images by their pixels of the cell, largest first, and they add up to the run total', async () => {
    const r = await listConfusionImages({ runId: run.id, ...cell, limit: 100 });
    expect(r.pixels).toBeGreaterThan(0);
    expect(r.images.reduce((s, im) => s + im.pixels, 0)).toBe(r.pixels);
    expect(r.images.map((im) => im.pixels)).toEqual([...r.images.map((im) => im.pixels)].sort((x, y) => y - x));
    for (const im of r.images) {
      const rows = parseJson(confusionRowsSchema, run.predictions.find((p) => p.id === im.predictionId)!.confusion, 'prediction confusion');
      expect(im.pixels).toBe(rows[cell.truth][cell.pred]);
      expect(im.shareOfTruth).toBeCloseTo(rows[cell.truth][cell.pred] / rows[cell.truth].reduce((s, v) => s + v, 0), 12);
    }
    expect((await listConfusionImages({ runId: run.id, ...cell, limit: 1 })).images).toHaveLength(1);
  });

  it('highlights exactly the pixels the per-image confusion counts', async () => {
    const [top] = (await listConfusionImages({ runId: run.id, ...cell })).images;
    const png = await renderConfusionCell({ predictionId: top.predictionId, ...cell });
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([top.width, top.height]);
    let n = 0;
    for (let i = 0; i < data.length; i += 4)
      if (data[i + 3] === 255 && data[i] === CONFUSION_HIGHLIGHT[0] && data[i + 1] === CONFUSION_HIGHLIGHT[1] && data[i + 2] === CONFUSION_HIGHLIGHT[2]) n++;
    expect(n).toBe(top.pixels);
  });

  it('refuses a diagonal cell, a class out of range and an unknown run or prediction', async () => {
    await expect(listConfusionImages({ runId: run.id, truth: 3, pred: 3 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(listConfusionImages({ runId: run.id, truth: 13, pred: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(listConfusionImages({ runId: run.id, truth: Number.NaN, pred: 0 })).rejects.toMatchObject({ code: 'INVALID_INPUT' });
    await expect(listConfusionImages({ runId: 'no-such-run', ...cell })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(renderConfusionCell({ predictionId: 'no-such-prediction', ...cell })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});

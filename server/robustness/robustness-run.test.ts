import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OFFICIAL_DIR } from '../../test/fixtures.ts';
import { registerCheckpoint } from '../checkpoints/register-checkpoints.ts';
import { hoodMasksOf } from '../dataset/hood-masks-column.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { loadFrame } from '../dataset/read-dataset.ts';
import { getDb } from '../db/client.ts';
import { parseJson } from '../schemas/common.ts';
import { createEvaluationRun } from '../evaluation/create-evaluation-run.ts';
import { processEvaluationChunk } from '../evaluation/process-evaluation-chunk.ts';
import { exportOnnx } from '../inference/export-onnx.ts';
import { getSegmenter } from '../inference/segmenter.ts';
import { classIous, computeMetrics, meanIgnoringNaN } from '../metrics/class-metrics.ts';
import { confusionOf, confusionToRows, sumConfusions, confusionFromRows } from '../metrics/confusion-matrix.ts';
import { corruptFrame } from './corruptions.ts';
import { getRobustnessForApi, getRobustnessPage, getVariantImageMious, robustnessCsvRows } from './get-robustness-page.ts';
import { imageConfusionsSchema, robustnessResultsSchema } from '../schemas/robustness.ts';

const SPEC = { corruptions: ['fog' as const, 'jpeg' as const], severities: [1, 4] };

async function setup() {
  const { id: datasetId } = await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' });
  await exportOnnx(path.resolve('models/checkpoints/unet'));
  const ck = await registerCheckpoint(path.resolve('models/checkpoints/unet'));
  const ids = (await getDb().datasetImage.findMany({ where: { datasetId, split: 'test' }, select: { id: true }, orderBy: { key: 'asc' } })).map((i) => i.id);
  return { datasetId, checkpointId: ck.id, ids };
}

describe('a robustness evaluation run', () => {
  it('stores every frame under every corruption × severity, as scored independently, and finalises mIoU, mPC and rPC from them', async () => {
    const db = getDb();
    const { datasetId, checkpointId, ids } = await setup();
    const { runId } = await createEvaluationRun({ checkpointId, datasetId, split: 'test', chunkSize: 2, robustness: SPEC });
    // Two chunks, the first one twice (a re-delivered job): it must neither duplicate nor change anything.
    await processEvaluationChunk({ runId, imageIds: ids.slice(0, 2), retryCount: 0 });
    await db.prediction.deleteMany({ where: { runId, imageId: ids[1] } });
    await processEvaluationChunk({ runId, imageIds: ids.slice(0, 2), retryCount: 1 });
    await processEvaluationChunk({ runId, imageIds: ids.slice(2), retryCount: 0 });

    const run = await db.evaluationRun.findUniqueOrThrow({ where: { id: runId }, include: { robustness: { include: { images: true } }, dataset: true } });
    expect(run.status).toBe('completed');
    expect(run.robustness!.images).toHaveLength(ids.length);

    // One frame, one variant, scored here without the pipeline: decode, corrupt, segment alone, count.
    const img = await db.datasetImage.findUniqueOrThrow({ where: { id: ids[2] } });
    const frame = await loadFrame(
      { hoodMasks: await hoodMasksOf(run.dataset), labelPalette: null },
      { subset: img.subset, imagePath: path.join(OFFICIAL_DIR, img.imagePath), labelPath: path.join(OFFICIAL_DIR, img.labelPath) },
    );
    const segmenter = await getSegmenter(path.resolve('models/checkpoints/unet'));
    const corrupted = await corruptFrame(frame.rgb, { corruption: 'fog', severity: 4, frameKey: img.contentHash });
    const expected = confusionToRows(confusionOf(frame.label.data, (await segmenter.segment(corrupted)).label.data));
    const stored = parseJson(imageConfusionsSchema, run.robustness!.images.find((r) => r.imageId === img.id)!.confusions, 'stored');
    expect(stored.fog![1]).toEqual(expected);

    const results = parseJson(robustnessResultsSchema, run.robustness!.results, 'results');
    expect(results.images).toBe(ids.length);
    expect(results.bootstrap.unit).toBe('image');
    expect(results.corruptions.map((c) => [c.corruption, c.severities.map((s) => s.severity)])).toEqual([
      ['fog', [1, 4]],
      ['jpeg', [1, 4]],
    ]);
    // The clean numbers are the run's own.
    expect(results.clean.miou.estimate).toBeCloseTo(run.miou!, 12);
    // mIoU of fog 4 = dataset-level mIoU of the four stored matrices; mPC the mean of the four variants; rPC = mPC / clean.
    const all = run.robustness!.images.map((r) => parseJson(imageConfusionsSchema, r.confusions, 'stored'));
    const fog4 = meanIgnoringNaN(classIous(sumConfusions(all.map((c) => confusionFromRows(c.fog![1])))));
    expect(results.corruptions[0].severities[1].miou.estimate).toBeCloseTo(fog4, 12);
    const variants = results.corruptions.flatMap((c) => c.severities.map((s) => s.miou.estimate!));
    expect(results.mpc.estimate).toBeCloseTo(variants.reduce((a, b) => a + b, 0) / variants.length, 12);
    expect(results.rpc.estimate).toBeCloseTo(results.mpc.estimate! / run.miou!, 12);
    // Heavy fog costs this model: a sanity check that corrupted frames were what it saw.
    expect(results.corruptions[0].severities[1].miou.estimate!).toBeLessThan(results.clean.miou.estimate!);

    // What the page and the API read back.
    const page = await getRobustnessPage({ datasetName: 'carla-official', split: 'test' });
    expect(page.models.find((m) => m.runId === runId)?.results.mpc.estimate).toBeCloseTo(results.mpc.estimate!, 12);
    const fog4Image = computeMetrics(confusionFromRows(stored.fog![1])).miou;
    expect((await getVariantImageMious({ runIds: [runId], imageId: img.id, corruption: 'fog', severity: 4 }))[runId]).toBeCloseTo(fog4Image, 12);
    expect((await getVariantImageMious({ runIds: [runId], imageId: img.id, corruption: 'rain', severity: 4 }))[runId]).toBeNull(); // not applied by this run
    const csv = robustnessCsvRows(await getRobustnessForApi(runId));
    // clean mIoU + 13 classes, 4 variants × (mIoU + 13 classes), mPC + rPC, 13 × (mPC + rPC)
    expect(csv).toHaveLength(14 + 4 * 14 + 2 + 26);
    expect(csv.find((r) => r.metric === 'rpc' && r.classId === 'all')?.estimate).toBe(results.rpc.estimate);
  });

  it('refuses an unknown corruption or an unordered severity list without creating a run', async () => {
    const { datasetId, checkpointId } = await setup();
    const before = await getDb().evaluationRun.count();
    await expect(
      createEvaluationRun({ checkpointId, datasetId, split: 'test', robustness: { corruptions: ['snow' as never], severities: [1] } }),
    ).rejects.toThrow();
    await expect(createEvaluationRun({ checkpointId, datasetId, split: 'test', robustness: { corruptions: ['fog'], severities: [3, 1] } })).rejects.toThrow(
      /increasing/,
    );
    await expect(createEvaluationRun({ checkpointId, datasetId, split: 'test', robustness: { corruptions: ['fog'], severities: [0] } })).rejects.toThrow();
    expect(await getDb().evaluationRun.count()).toBe(before);
  });
});

import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import '../inference/tfjs-support.ts';
import { TORCH_FIXTURE, TORCH_FIXTURE_ADAPTER } from '../../test/bad-model-imports.ts';
import { makeTestCheckpoint } from '../../test/checkpoint-fixture.ts';
import { evaluateNow } from '../../test/evaluate-now.ts';
import { OFFICIAL_DIR } from '../../test/fixtures.ts';
import { registerCheckpoint } from '../checkpoints/register-checkpoints.ts';
import { config } from '../config.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { getDb } from '../db/client.ts';
import { CALIBRATION_BINS, coverageCurve } from '../metrics/calibration.ts';
import { importOnnxModel } from '../onnx-import/import-onnx-model.ts';
import { predictionQualityCountsSchema } from '../schemas/quality.ts';
import { getConfidenceMap, renderConfidenceMap } from './confidence-map.ts';

let datasetId: string;

beforeAll(async () => {
  config.modelsDir = await mkdtemp(path.join(os.tmpdir(), 'pixeldrive-models-'));
  ({ id: datasetId } = await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' }));
});

describe('getConfidenceMap', () => {
  it('abstains exactly as the run\u2019s calibration counted, and keeps every pixel and the stored per-image mIoU at threshold 0', async () => {
    const ck = await registerCheckpoint(await makeTestCheckpoint('unet', 81));
    const run = await evaluateNow(ck.id, datasetId, 'test', 'none', { calibration: true });
    expect(run.status).toBe('completed');
    for (const p of run.predictions) {
      const map = await getConfidenceMap({ predictionId: p.id });
      expect(map.curve).toHaveLength(100);
      expect(map.curve[0]).toMatchObject({ threshold: 0, abstained: 0 });
      expect(map.curve[0].miou).toBeCloseTo(p.imageMiou!, 12);
      // The run's 15 calibration bins edge at b/15; b = 3, 6, 9, 12 fall on steps 20, 40, 60, 80.
      // The map was computed afresh from the network's logits; the run's counts when it was scored.
      const counts = predictionQualityCountsSchema.parse(
        (await getDb().predictionQuality.findUniqueOrThrow({ where: { runId_imageId: { runId: run.id, imageId: p.imageId } } })).counts,
      );
      const stored = coverageCurve(Float64Array.from(counts.calibration!), undefined, CALIBRATION_BINS);
      for (const b of [3, 6, 9, 12]) {
        const step = map.curve[(b / CALIBRATION_BINS) * 100];
        expect(step.threshold).toBeCloseTo(stored[b].threshold, 12);
        expect(step.abstained).toBeCloseTo(1 - stored[b].coverage, 12);
        if (stored[b].coverage > 0) expect(step.miou).toBeCloseTo(stored[b].miou, 12);
      }
      // The PNG carries each evaluated pixel's step (grey) and hides ignored ones (alpha 0).
      const { data, info } = await sharp(await renderConfidenceMap(p.id))
        .ensureAlpha()
        .raw()
        .toBuffer({ resolveWithObject: true });
      expect([info.width, info.height]).toEqual([map.width, map.height]);
      let evaluated = 0;
      let below50 = 0;
      for (let i = 0; i < map.steps.length; i++) {
        const alpha = data[i * info.channels + info.channels - 1];
        expect(alpha).toBe(map.steps[i] === 255 ? 0 : 255);
        if (alpha === 0) continue;
        expect(data[i * info.channels]).toBe(map.steps[i]);
        evaluated++;
        if (map.steps[i] < 50) below50++;
      }
      expect(below50 / evaluated).toBeCloseTo(map.curve[50].abstained, 12);
    }
    // Cached: the same map, not a second forward pass.
    expect(await getConfidenceMap({ predictionId: run.predictions[0].id })).toBe(await getConfidenceMap({ predictionId: run.predictions[0].id }));
  }, 180_000);

  it('refuses an imported model (labels only) and an unknown prediction with a message for the user', async () => {
    const { id, created } = await importOnnxModel({
      bytes: new Uint8Array(await readFile(TORCH_FIXTURE)),
      adapter: await readFile(TORCH_FIXTURE_ADAPTER, 'utf8'),
      name: 'torch fixture for confidence maps',
    });
    try {
      const run = await evaluateNow(id, datasetId, 'test');
      await expect(getConfidenceMap({ predictionId: run.predictions[0].id })).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        userMessage: expect.stringMatching(/labels only/),
      });
    } finally {
      // The test files share one database and import-onnx-model.test.ts expects to be the first to import this fixture.
      if (created) await getDb().checkpoint.delete({ where: { id } });
    }
    await expect(getConfidenceMap({ predictionId: 'no-such-prediction' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  }, 120_000);
});

import { describe, expect, it } from 'vitest';
import { makeTestCheckpoint } from '../../test/checkpoint-fixture.ts';
import { OFFICIAL_DIR } from '../../test/fixtures.ts';
import { registerCheckpoint } from '../checkpoints/register-checkpoints.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { getDb } from '../db/client.ts';
import { createEvaluationRuns } from './create-evaluation-runs.ts';

const DAY_MS = 24 * 3600 * 1000;

/** Two U-Net checkpoints registered in the order older → newer, dated so no other test's checkpoint sits between them. */
async function twoUnets() {
  const db = getDb();
  const { id: datasetId } = await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' });
  const older = await registerCheckpoint(await makeTestCheckpoint('unet', 11));
  const newer = await registerCheckpoint(await makeTestCheckpoint('unet', 12));
  await db.checkpoint.update({ where: { id: older.id }, data: { createdAt: new Date(Date.now() + DAY_MS) } });
  await db.checkpoint.update({ where: { id: newer.id }, data: { createdAt: new Date(Date.now() + 2 * DAY_MS) } });
  return { datasetId, older: older.id, newer: newer.id };
}

/** Registers a checkpoint folder dated `days` ahead, after every other test's checkpoint. */
async function registerDated(dir: string, days: number): Promise<string> {
  const { id } = await registerCheckpoint(dir);
  await getDb().checkpoint.update({ where: { id }, data: { createdAt: new Date(Date.now() + days * DAY_MS) } });
  return id;
}

/** A U-Net on MobileNetV2 with a small decoder: its encoder from the package's weights (alpha 1 only) or from random init, the control. */
const smallUnetMobileNetV2 = (encoderInit: 'nsfwjs' | 'random') => ({
  decoderChannels: [8, 8, 8, 8],
  bottleneckChannels: 8,
  encoderInit,
  alpha: encoderInit === 'random' ? 0.35 : 1,
});

describe('createEvaluationRuns', () => {
  it('evaluates the newest checkpoint of an architecture when two are registered', async () => {
    const { datasetId, older, newer } = await twoUnets();
    const runs = await createEvaluationRuns({ models: 'unet', datasetId, split: 'test' });
    expect(runs.map((r) => r.checkpointId)).toEqual([newer]);
    expect(runs.map((r) => r.checkpointId)).not.toContain(older);
  });

  it('"all" queues one run per network, each on its newest checkpoint', async () => {
    const { datasetId, older, newer } = await twoUnets();
    await registerCheckpoint(await makeTestCheckpoint('segnet', 13));
    const runs = await createEvaluationRuns({ models: 'all', datasetId, split: 'test' });
    const stored = await getDb().evaluationRun.findMany({ where: { id: { in: runs.map((r) => r.runId) } }, include: { checkpoint: true } });
    const networks = stored.map((r) => r.checkpoint.name).sort();
    expect(networks).toEqual([...new Set(networks)]); // one run per network
    expect(networks).toEqual(expect.arrayContaining(['SegNet', 'U-Net']));
    expect(stored.find((r) => r.checkpoint.arch === 'unet')?.checkpointId).toBe(newer);
    expect(stored.map((r) => r.checkpointId)).not.toContain(older);
  });

  it('picks a pretrained network and its random-init control of one architecture side by side, each on its newest checkpoint', async () => {
    const { datasetId } = await twoUnets();
    const pretrained = await registerDated(await makeTestCheckpoint('unet-mobilenetv2', 14, smallUnetMobileNetV2('nsfwjs')), 3);
    const olderRandom = await registerDated(await makeTestCheckpoint('unet-mobilenetv2', 15, smallUnetMobileNetV2('random')), 3);
    // The newest of the architecture: by architecture alone it would be the only one picked, the pretrained one left out.
    const random = await registerDated(await makeTestCheckpoint('unet-mobilenetv2', 16, smallUnetMobileNetV2('random')), 4);
    const byArch = await createEvaluationRuns({ models: 'unet-mobilenetv2', datasetId, split: 'test' });
    expect(byArch).toHaveLength(2);
    expect(Object.fromEntries(byArch.map((r) => [r.checkpointName, r.checkpointId]))).toEqual({
      'U-Net · MobileNetV2': pretrained,
      'U-Net · MobileNetV2 (random init)': random,
    });
    const all = (await createEvaluationRuns({ models: 'all', datasetId, split: 'test' })).map((r) => r.checkpointId);
    expect(all).toEqual(expect.arrayContaining([pretrained, random]));
    expect(all).not.toContain(olderRandom);
  });

  it('evaluates exactly the checkpoint named by id, and refuses an unknown one without creating a run', async () => {
    const { datasetId, older } = await twoUnets();
    const runs = await createEvaluationRuns({ models: { checkpointId: older }, datasetId, split: 'test' });
    expect(runs.map((r) => r.checkpointId)).toEqual([older]);
    const before = await getDb().evaluationRun.count();
    await expect(createEvaluationRuns({ models: { checkpointId: 'no-such-checkpoint' }, datasetId, split: 'test' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await getDb().evaluationRun.count()).toBe(before);
  });

  it('computes calibration and boundary IoU unless each is switched off', async () => {
    const { datasetId, older } = await twoUnets();
    const [byDefault] = await createEvaluationRuns({ models: { checkpointId: older }, datasetId, split: 'test' });
    const [without] = await createEvaluationRuns({ models: { checkpointId: older }, datasetId, split: 'test', calibration: false, boundary: false });
    const options = async (runId: string) => (await getDb().runQuality.findUniqueOrThrow({ where: { runId } })).options;
    expect(await options(byDefault.runId)).toEqual({ calibration: true, boundary: true });
    expect(await options(without.runId)).toEqual({ calibration: false, boundary: false });
  });
});

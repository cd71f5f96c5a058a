import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestCheckpoint } from '../../test/checkpoint-fixture.ts';
import { DRIVE_DIR, OFFICIAL_DIR } from '../../test/fixtures.ts';
import { registerCheckpoint } from '../checkpoints/register-checkpoints.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { getDb } from '../db/client.ts';
import { queueDefaultEvaluations } from './queue-default-evaluations.ts';

const queued: string[] = [];

/** Queued runs count against the evaluation quota of the whole suite: cancel what these tests leave. */
afterEach(async () => {
  await getDb().evaluationRun.updateMany({ where: { id: { in: queued.splice(0) } }, data: { status: 'cancelled' } });
});

async function setup(seed: number) {
  await importDataset({ root: DRIVE_DIR, name: 'carla-drive', kind: 'drive' });
  await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' });
  return registerCheckpoint(await makeTestCheckpoint('segnet', seed));
}

describe('queueDefaultEvaluations', () => {
  it('queues val and the official frames with calibration and boundary IoU, and nothing twice when called again', async () => {
    const ck = await setup(41);
    const first = await queueDefaultEvaluations({ checkpointIds: [ck.id] });
    queued.push(...first.runIds);
    const runs = await getDb().evaluationRun.findMany({ where: { id: { in: first.runIds } }, include: { dataset: true, quality: true } });
    expect(runs.map((r) => `${r.dataset.name}/${r.split}`).sort()).toEqual(['carla-drive/val', 'carla-official/test']);
    for (const r of runs) expect(r.quality?.options).toEqual({ calibration: true, boundary: true });
    expect((await queueDefaultEvaluations({ checkpointIds: [ck.id] })).runIds).toEqual([]);
  });

  it('queues nothing for the checkpoint of a training run started with evaluation off', async () => {
    const ck = await setup(42);
    await getDb().trainingRun.create({
      data: { arch: 'segnet', options: { arch: 'segnet', evaluate: false }, epochsTotal: 1, status: 'completed', checkpointId: ck.id, trainedHere: true },
    });
    expect((await queueDefaultEvaluations({ checkpointIds: [ck.id] })).runIds).toEqual([]);
  });

  it('queues nothing for a checkpoint whose card says it was trained with --no-evaluate', async () => {
    await setup(43);
    const dir = await makeTestCheckpoint('segnet', 44);
    const cardFile = path.join(dir, 'card.json');
    const card = JSON.parse(await readFile(cardFile, 'utf8'));
    await writeFile(cardFile, JSON.stringify({ ...card, training: { ...card.training, evaluate: false } }));
    const ck = await registerCheckpoint(dir);
    expect((await queueDefaultEvaluations({ checkpointIds: [ck.id] })).runIds).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import '../inference/tfjs-support.ts';
import { makeTestCheckpoint } from '../../test/checkpoint-fixture.ts';
import { OFFICIAL_DIR } from '../../test/fixtures.ts';
import { registerCheckpoint } from '../checkpoints/register-checkpoints.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { DEFAULT_CHUNK_SIZE } from '../evaluation/create-evaluation-run.ts';
import { getDb } from '../db/client.ts';
import { countPredictions } from './count-predictions.ts';

describe('countPredictions', () => {
  it('counts each listed run alone, a run still running afresh every time, a completed one once', async () => {
    const { id: datasetId } = await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' });
    const { id: checkpointId } = await registerCheckpoint(await makeTestCheckpoint('unet', 97));
    const db = getDb();
    const images = await db.datasetImage.findMany({ where: { datasetId }, orderBy: { key: 'asc' }, select: { id: true } });
    const run = (status: string) =>
      db.evaluationRun.create({ data: { checkpointId, datasetId, split: 'test', status, totalImages: 4, chunkSize: DEFAULT_CHUNK_SIZE, ignorePolicy: {} } });
    const store = (runId: string, from: number, to: number) =>
      db.prediction.createMany({
        data: images.slice(from, to).map((im) => ({ runId, imageId: im.id, labelPng: new Uint8Array([1]), confusion: [], latencyMs: 1 })),
      });
    const [running, completed, empty, unlisted] = await Promise.all([run('running'), run('completed'), run('completed'), run('completed')]);
    await Promise.all([store(running.id, 0, 2), store(completed.id, 0, 3), store(unlisted.id, 0, 4)]);

    const first = await countPredictions([running, completed, empty]);
    expect(Object.fromEntries(first)).toEqual({ [running.id]: 2, [completed.id]: 3, [empty.id]: 0 });

    // Another prediction of each: the running run's count follows; the completed one's, which a
    // finished run can never gain, is the one taken before (proof that it was not counted again).
    await Promise.all([store(running.id, 2, 3), store(completed.id, 3, 4)]);
    const second = await countPredictions([running, completed, empty]);
    expect(Object.fromEntries(second)).toEqual({ [running.id]: 3, [completed.id]: 3, [empty.id]: 0 });
    expect(await countPredictions([])).toEqual(new Map());
  });
});

import { describe, expect, it } from 'vitest';
import { makeTestCheckpoint } from '../../test/checkpoint-fixture.ts';
import { OFFICIAL_DIR } from '../../test/fixtures.ts';
import { registerCheckpoint } from '../checkpoints/register-checkpoints.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { getDb } from '../db/client.ts';
import { JOB_DEFINITIONS } from '../jobs/definitions.ts';
import { cancelEvaluationRun } from './cancel-evaluation-run.ts';
import { createEvaluationRun } from './create-evaluation-run.ts';
import { processEvaluationChunk } from './process-evaluation-chunk.ts';

async function setup() {
  const { id: datasetId } = await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' });
  const ck = await registerCheckpoint(await makeTestCheckpoint('deeplabv3plus', 4));
  const images = await getDb().datasetImage.findMany({ where: { datasetId }, select: { id: true }, orderBy: { key: 'asc' } });
  return { datasetId, checkpointId: ck.id, imageIds: images.map((i) => i.id) };
}

describe('evaluation chunks', () => {
  it('stop working on a cancelled run and never finalise it', async () => {
    const { datasetId, checkpointId, imageIds } = await setup();
    const { runId } = await createEvaluationRun({ checkpointId, datasetId, split: 'test', chunkSize: 2 });
    await cancelEvaluationRun({ runId });
    await processEvaluationChunk({ runId, imageIds, retryCount: 0 });
    const run = await getDb().evaluationRun.findUniqueOrThrow({ where: { id: runId }, include: { _count: { select: { predictions: true } } } });
    expect(run.status).toBe('cancelled');
    expect(run._count.predictions).toBe(0);
    await expect(cancelEvaluationRun({ runId })).rejects.toThrow(/already finished/);
  });

  it('a chunk that fails on its last attempt marks the run failed with a readable reason', async () => {
    const { datasetId, checkpointId } = await setup();
    const { runId } = await createEvaluationRun({ checkpointId, datasetId, split: 'test' });
    const { dir } = await getDb().checkpoint.findUniqueOrThrow({ where: { id: checkpointId } });
    await getDb().checkpoint.update({ where: { id: checkpointId }, data: { dir: '/nonexistent/checkpoint' } });
    try {
      const last = JOB_DEFINITIONS.evaluationChunk.queueOptions.retryLimit;
      const ids = (await getDb().datasetImage.findMany({ where: { datasetId }, select: { id: true } })).map((i) => i.id);
      await expect(processEvaluationChunk({ runId, imageIds: ids, retryCount: 0 })).rejects.toThrow();
      expect((await getDb().evaluationRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe('queued'); // retries remain
      await expect(processEvaluationChunk({ runId, imageIds: ids, retryCount: last })).rejects.toThrow();
    } finally {
      // The tests share one database: left broken, this is the newest DeepLabV3+ checkpoint,
      // which the playground test (when it runs later) segments with and gets a 404 from.
      await getDb().checkpoint.update({ where: { id: checkpointId }, data: { dir } });
    }
    const run = await getDb().evaluationRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/chunk failed after 5 attempts: The model's weights are missing on the server/);
  });
});

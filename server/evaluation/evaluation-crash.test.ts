import { afterAll, describe, expect, it } from 'vitest';
import { makeTestCheckpoint } from '../../test/checkpoint-fixture.ts';
import { DRIVE_DIR } from '../../test/fixtures.ts';
import { startWorkerProcess, stopWorkerProcesses, waitFor } from '../../test/worker-processes.ts';
import { registerCheckpoint } from '../checkpoints/register-checkpoints.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { getDb } from '../db.ts';
import { createEvaluationRun } from './create-evaluation-run.ts';

const finished = (runId: string) => async () => {
  const r = await getDb().evaluationRun.findUnique({ where: { id: runId } });
  return r && ['completed', 'failed', 'cancelled'].includes(r.status) ? r : null;
};

afterAll(stopWorkerProcesses);

describe('evaluation under a worker crash', () => {
  it('completes after SIGKILL mid-run with one prediction per image and the same metrics as an undisturbed run', async () => {
    const db = getDb();
    const { id: datasetId } = await importDataset({ root: DRIVE_DIR, name: 'carla-drive', kind: 'drive' });
    const ck = await registerCheckpoint(await makeTestCheckpoint('unet'));
    const steady = startWorkerProcess({ PIXELDRIVE_BACKEND: 'onnx' });

    const a = await createEvaluationRun({ checkpointId: ck.id, datasetId, split: 'val', chunkSize: 4 });
    const runA = await waitFor('undisturbed run', finished(a.runId));
    expect(runA.status).toBe('completed');
    steady.kill('SIGTERM');

    const b = await createEvaluationRun({ checkpointId: ck.id, datasetId, split: 'val', chunkSize: 4 });
    const victim = startWorkerProcess({ PIXELDRIVE_BACKEND: 'onnx' });
    await waitFor('predictions before the kill', async () => (await db.prediction.count({ where: { runId: b.runId } })) >= 12);
    victim.kill('SIGKILL');
    const before = await db.prediction.count({ where: { runId: b.runId } });
    expect(before).toBeLessThan(80);
    startWorkerProcess({ PIXELDRIVE_BACKEND: 'onnx' });
    const runB = await waitFor('run after restart', finished(b.runId), 240_000);

    expect(runB.status).toBe('completed');
    const preds = await db.prediction.findMany({ where: { runId: b.runId }, select: { imageId: true } });
    expect(preds).toHaveLength(80);
    expect(new Set(preds.map((p) => p.imageId)).size).toBe(80);
    expect(runB.confusion).toEqual(runA.confusion);
    expect(runB.miou).toBe(runA.miou);
    expect(runB.metrics).toMatchObject({ miouLow: (runA.metrics as { miouLow: number }).miouLow });
    // The metrics beyond mIoU (safety, flicker, small objects) come out the same however the work was split or retried.
    const [qa, qb] = await Promise.all([a.runId, b.runId].map((runId) => db.runQuality.findUniqueOrThrow({ where: { runId } })));
    expect(qb.summary).toEqual(qa.summary);
    expect(await db.predictionQuality.count({ where: { runId: b.runId } })).toBe(80);
  }, 420_000);
});

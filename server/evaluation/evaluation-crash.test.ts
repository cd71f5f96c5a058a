import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestCheckpoint } from '../../test/checkpoint-fixture.ts';
import { SMALL_DRIVE_FRAMES, smallDriveDir } from '../../test/fixtures.ts';
import { startWorkerProcess, stopWorkerProcess, stopWorkerProcesses, waitFor } from '../../test/worker-processes.ts';
import { registerCheckpoint } from '../checkpoints/register-checkpoints.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { getDb } from '../db/client.ts';
import type { EvaluationRun } from '../generated/prisma/client.ts';
import { createEvaluationRun } from './create-evaluation-run.ts';

const finished = (runId: string) => async () => {
  const r = await getDb().evaluationRun.findUnique({ where: { id: runId } });
  return r && ['completed', 'failed', 'cancelled'].includes(r.status) ? r : null;
};

/** Everything a finished run reports, minus what depends on when and how fast it ran. */
async function numbersOf(runId: string) {
  const db = getDb();
  const run = await db.evaluationRun.findUniqueOrThrow({ where: { id: runId } });
  const classes = await db.classMetric.findMany({ where: { runId }, orderBy: { classId: 'asc' }, omit: { id: true, runId: true } });
  const quality = await db.runQuality.findUniqueOrThrow({ where: { runId } });
  return { confusion: run.confusion, miou: run.miou, metrics: run.metrics, classes, quality: quality.summary, safetyError: quality.safetyError };
}

let datasetId = '';
let checkpointId = '';
/** The undisturbed run both crash cases are held to. */
let undisturbed: EvaluationRun;

beforeAll(async () => {
  datasetId = (await importDataset({ root: await smallDriveDir(), name: 'carla-drive', kind: 'drive' })).id;
  checkpointId = (await registerCheckpoint(await makeTestCheckpoint('unet'))).id;
  const steady = startWorkerProcess({ PIXELDRIVE_BACKEND: 'onnx' });
  const a = await createEvaluationRun({ checkpointId, datasetId, split: 'val', chunkSize: 4 });
  undisturbed = await waitFor('undisturbed run', finished(a.runId));
  expect(undisturbed.status).toBe('completed');
  expect(undisturbed.totalImages).toBe(SMALL_DRIVE_FRAMES / 5); // the one val block
  await stopWorkerProcess(steady);
}, 300_000);

afterAll(stopWorkerProcesses);

describe('evaluation under a worker crash', () => {
  it('completes after SIGKILL mid-run with one prediction per image and the same metrics as an undisturbed run', async () => {
    const db = getDb();
    const runA = undisturbed;
    const b = await createEvaluationRun({ checkpointId, datasetId, split: 'val', chunkSize: 4 });
    const victim = startWorkerProcess({ PIXELDRIVE_BACKEND: 'onnx' });
    await waitFor('predictions before the kill', async () => (await db.prediction.count({ where: { runId: b.runId } })) >= 12);
    victim.kill('SIGKILL');
    const before = await db.prediction.count({ where: { runId: b.runId } });
    expect(before).toBeLessThan(undisturbed.totalImages);
    const successor = startWorkerProcess({ PIXELDRIVE_BACKEND: 'onnx' });
    const runB = await waitFor('run after restart', finished(b.runId), 240_000);
    // The next case needs its victim to be the only worker.
    await stopWorkerProcess(successor);

    expect(runB.status).toBe('completed');
    const preds = await db.prediction.findMany({ where: { runId: b.runId }, select: { imageId: true } });
    expect(preds).toHaveLength(undisturbed.totalImages);
    expect(new Set(preds.map((p) => p.imageId)).size).toBe(undisturbed.totalImages);
    expect(runB.confusion).toEqual(runA.confusion);
    expect(runB.miou).toBe(runA.miou);
    expect(runB.metrics).toMatchObject({ miouLow: (runA.metrics as { miouLow: number }).miouLow });
    // The metrics beyond mIoU (safety, flicker, small objects) come out the same however the work was split or retried.
    const [qa, qb] = await Promise.all([runA.id, b.runId].map((runId) => db.runQuality.findUniqueOrThrow({ where: { runId } })));
    expect(qb.summary).toEqual(qa.summary);
    expect(await db.predictionQuality.count({ where: { runId: b.runId } })).toBe(undisturbed.totalImages);
  }, 420_000);

  it('completes after SIGKILL while finalising: every prediction stored once, the same numbers as an undisturbed run', async () => {
    const db = getDb();
    const c = await createEvaluationRun({ checkpointId, datasetId, split: 'val', chunkSize: 16 });
    // This worker computes the run's numbers and then waits, status `finalizing`, until it is killed.
    const victim = startWorkerProcess({ PIXELDRIVE_BACKEND: 'onnx', PIXELDRIVE_TEST_HOLD_FINALIZING: c.runId });
    await waitFor('the run finalising', async () => (await db.evaluationRun.findUnique({ where: { id: c.runId } }))?.status === 'finalizing', 240_000);
    victim.kill('SIGKILL');
    await new Promise((r) => (victim.exitCode === null && victim.signalCode === null ? victim.once('exit', r) : r(null)));

    // What the kill left: all predictions, no numbers, the run stuck in `finalizing` with its last chunk's job active.
    const left = await db.evaluationRun.findUniqueOrThrow({
      where: { id: c.runId },
      include: { _count: { select: { predictions: true, classMetrics: true } } },
    });
    expect(left.status).toBe('finalizing');
    expect(left.miou).toBeNull();
    expect(left._count).toEqual({ predictions: undisturbed.totalImages, classMetrics: 0 });

    startWorkerProcess({ PIXELDRIVE_BACKEND: 'onnx' });
    const runC = await waitFor('run after restart', finished(c.runId), 300_000);
    expect(runC.status).toBe('completed');
    const preds = await db.prediction.findMany({ where: { runId: c.runId }, select: { imageId: true } });
    expect(preds).toHaveLength(undisturbed.totalImages);
    expect(new Set(preds.map((p) => p.imageId)).size).toBe(undisturbed.totalImages);
    expect(await db.predictionQuality.count({ where: { runId: c.runId } })).toBe(undisturbed.totalImages);
    expect(await numbersOf(c.runId)).toEqual(await numbersOf(undisturbed.id));
  }, 420_000);
});

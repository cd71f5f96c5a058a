import { describe, expect, it } from 'vitest';
import { importDataset } from '../dataset/import-dataset.ts';
import { getDb } from '../db/client.ts';
import { OFFICIAL_DIR, smallDriveDir } from '../../test/fixtures.ts';
import { JOB_DEFINITIONS } from '../jobs/definitions.ts';
import { runTrainingJob } from './run-training-job.ts';
import { cancelTrainingRun, startTrainingRun } from './start-training-run.ts';

describe('training from the app (job handler)', () => {
  it('records every epoch in PostgreSQL, registers the trained checkpoint and queues its evaluations once', async () => {
    const db = getDb();
    await importDataset({ root: await smallDriveDir(), name: 'carla-drive', kind: 'drive' });
    await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' });
    // A mechanism, not a number: a small input keeps the epoch short (the recipe's 256×192 is no different to the records).
    const { runId } = await startTrainingRun({ arch: 'deeplabv3plus', epochs: 1, width: 2, batchSize: 16, input: { width: 64, height: 48 } });
    expect((await db.trainingRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe('queued');
    await runTrainingJob({ runId, retryCount: 0 });
    const run = await db.trainingRun.findUniqueOrThrow({ where: { id: runId }, include: { epochs: true, checkpoint: true } });
    expect(run.status).toBe('completed');
    expect(run.epochs).toHaveLength(1);
    expect(run.epochs[0].valMiou).toBeGreaterThan(0);
    expect((run.epochs[0].perClassIou as unknown[]).length).toBe(13);
    expect(run.checkpoint?.arch).toBe('deeplabv3plus');
    expect(run.backend).toMatch(/^ort \(onnxruntime-cpu/);
    expect(run.checkpoint?.config).toMatchObject({ inputWidth: 64, inputHeight: 48 });
    // The registered checkpoint's history is this run, not a second copy.
    expect(await db.trainingRun.count({ where: { checkpointId: run.checkpointId } })).toBe(1);
    expect(run.trainedHere).toBe(true);
    // Train → evaluate → rank: the first start's evaluations, queued for the new checkpoint; a retried job queues nothing more.
    const evaluations = async () =>
      (await db.evaluationRun.findMany({ where: { checkpointId: run.checkpointId! }, include: { dataset: true } }))
        .map((e) => `${e.dataset.name}/${e.split}`)
        .sort();
    expect(await evaluations()).toEqual(['carla-drive/val', 'carla-official/test']);
    await runTrainingJob({ runId, retryCount: 1 });
    expect(await evaluations()).toEqual(['carla-drive/val', 'carla-official/test']);
    await db.evaluationRun.updateMany({ where: { checkpointId: run.checkpointId! }, data: { status: 'cancelled' } });
  }, 300_000);

  it('"Stop and keep best" registers the best epoch so far, which is then evaluated like a finished run', async () => {
    const db = getDb();
    await importDataset({ root: await smallDriveDir(), name: 'carla-drive', kind: 'drive' });
    await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' });
    // The recipe's 256×192: the stop must land inside the second epoch, so that epoch must last (a smaller input makes it a second or two).
    const { runId } = await startTrainingRun({ arch: 'deeplabv3plus', epochs: 2, width: 2, batchSize: 16, seed: 3 });
    const job = runTrainingJob({ runId, retryCount: 0 });
    await expect.poll(async () => (await db.trainingRun.findUniqueOrThrow({ where: { id: runId } })).epochsDone, { timeout: 280_000, interval: 200 }).toBe(1);
    await cancelTrainingRun({ runId, keepBest: true });
    await job;
    const run = await db.trainingRun.findUniqueOrThrow({ where: { id: runId }, include: { checkpoint: true } });
    expect(run.status).toBe('completed');
    expect([run.epochsDone, run.bestEpoch]).toEqual([1, 1]);
    expect((run.checkpoint?.card as { training: { epochs: number } }).training.epochs).toBe(1);
    const evaluations = await db.evaluationRun.findMany({ where: { checkpointId: run.checkpointId! } });
    expect(evaluations).toHaveLength(2);
    await db.evaluationRun.updateMany({ where: { checkpointId: run.checkpointId! }, data: { status: 'cancelled' } });
  }, 300_000);

  it('cancels a queued run without running it', async () => {
    const { runId } = await startTrainingRun({ arch: 'unet', epochs: 1, width: 2 });
    await cancelTrainingRun({ runId });
    await runTrainingJob({ runId, retryCount: 0 });
    expect((await getDb().trainingRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe('cancelled');
  });

  it('a failing job leaves the run to its retry, and marks it failed with the reason on the last attempt', async () => {
    const db = getDb();
    const { runId } = await startTrainingRun({ arch: 'unet', epochs: 1, width: 2 });
    await db.trainingRun.update({ where: { id: runId }, data: { options: { arch: 'resnet' } } });
    await expect(runTrainingJob({ runId, retryCount: 0 })).rejects.toThrow();
    expect((await db.trainingRun.findUniqueOrThrow({ where: { id: runId } })).status).toBe('queued');
    const last = JOB_DEFINITIONS.training.queueOptions.retryLimit;
    await expect(runTrainingJob({ runId, retryCount: last })).rejects.toThrow();
    const run = await db.trainingRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe('failed');
    expect(run.error).toBe(`failed after ${last + 1} attempts: Its stored training options are not valid.`);
  });
});

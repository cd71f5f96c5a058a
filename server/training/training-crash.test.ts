import { afterAll, describe, expect, it, vi } from 'vitest';
import { smallDriveDir } from '../../test/fixtures.ts';
import { startWorkerProcess, stopWorkerProcesses, waitFor } from '../../test/worker-processes.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { getDb } from '../db/client.ts';
import { startTrainingRun } from './start-training-run.ts';

// The queue's wait for a dead worker's heartbeat (120 s by default) is what the test waits on after
// the kill; at 20 s (as evaluation chunks have) the mechanism is the same and the wait a sixth (the run's job and the workers read it).
vi.hoisted(() => (process.env.PIXELDRIVE_TRAINING_HEARTBEAT_S = '20'));

afterAll(stopWorkerProcesses);

/**
 * A worker SIGKILLed in the middle of a training epoch: nothing runs the job's catch blocks and
 * the job stays 'active' until its heartbeat lapses. The queue must then hand it to another
 * worker, which resumes from the last saved epoch (not from scratch) and finishes the run.
 */
describe('training under a worker crash', () => {
  it('a run SIGKILLed mid-epoch resumes from its last saved epoch in the next worker and completes', async () => {
    const db = getDb();
    await importDataset({ root: await smallDriveDir(), name: 'carla-drive', kind: 'drive' });
    // Two epochs are the least that shows a resume: epoch 1 saved, the kill inside epoch 2, and
    // epoch 2 (only) trained by the next worker. The file's own database has no other runs queued.
    const epochs = 2;
    const { runId } = await startTrainingRun({ arch: 'unet', epochs, width: 2 });

    const victim = startWorkerProcess();
    // Past the first saved epoch and part-way through the second.
    const atKill = await waitFor(
      'epoch 1 saved and epoch 2 under way',
      async () => {
        const r = await db.trainingRun.findUnique({ where: { id: runId }, include: { epochs: { orderBy: { epoch: 'asc' } } } });
        return r && r.status === 'running' && r.epochsDone === 1 && r.progress > 1 / epochs + 0.02 ? r : null;
      },
      300_000,
    );
    victim.kill('SIGKILL');
    await new Promise((r) => victim.once('exit', r));
    expect(atKill.epochs.map((e) => e.epoch)).toEqual([1]);

    startWorkerProcess();
    const done = await waitFor(
      'the run to finish',
      async () => {
        const r = await db.trainingRun.findUnique({ where: { id: runId }, include: { epochs: { orderBy: { epoch: 'asc' } } } });
        return r && ['completed', 'failed', 'cancelled'].includes(r.status) ? r : null;
      },
      600_000,
    );

    expect(done.status, done.error ?? '').toBe('completed');
    expect(done.epochs.map((e) => e.epoch)).toEqual([1, 2]);
    // Resumed, not restarted: epoch 1 was not trained again (its row, wall time included, is the
    // one written before the kill; a re-run would have overwritten it with a new wall time).
    expect(done.epochs[0].seconds).toBe(atKill.epochs[0].seconds);
    expect(done.epochs[0].trainLoss).toBe(atKill.epochs[0].trainLoss);
    expect(done.checkpointId).not.toBeNull();
    expect(done.error).toBeNull();
  }, 900_000);
});

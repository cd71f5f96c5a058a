import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { smallDriveDir } from '../../test/fixtures.ts';
import { setDatabaseUrl } from '../config.ts';
import { removeWithLinkedData } from '../../test/remove-linked-data.ts';
import { startWorkerProcess, stopWorkerProcesses, waitFor } from '../../test/worker-processes.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { disconnectDb, getDb } from '../db/client.ts';
import { startEmbeddedPostgres, type EmbeddedDb } from '../db/embedded-postgres.ts';
import { applyMigrations } from '../db/migrate.ts';
import { anyFreePort } from '../startup/ports.ts';
import { startTrainingRun } from './start-training-run.ts';

// A write cut off by the outage fails its attempt; the queue then waits for the job's heartbeat to
// lapse before another attempt resumes it (training-crash.test.ts explains the 20 s).
vi.hoisted(() => (process.env.PIXELDRIVE_TRAINING_HEARTBEAT_S = '20'));

/**
 * A training run in flight when its database is SIGKILLed and restarted (what `npm start` does,
 * scripts/database-supervision.test.ts): the worker waits out the outage and the run completes with
 * exactly the epochs of an undisturbed run of the same seed. The database is one of this file's
 * own (the shared test server must not go down under other files); a folder the postgres user can
 * enter, as in embedded-postgres.test.ts.
 */
const base = mkdtempSync(path.join(os.tmpdir(), 'pd-training-outage-'));
chmodSync(base, 0o755);
let pg: EmbeddedDb | null = null;

// One epoch: a run cut off mid-epoch either goes on once the database is back or, if a write was cut
// off, starts that epoch again in its next attempt; both must give the undisturbed epoch.
const OPTIONS = { arch: 'unet', epochs: 1, width: 2, batchSize: 16, seed: 5, evaluate: false } as const;

beforeAll(async () => {
  pg = await startEmbeddedPostgres({ dir: path.join(base, 'pgdata'), port: await anyFreePort(), log: () => {} });
  await applyMigrations(pg.url);
  // Before this file's first query: getDb() and the queue client read DATABASE_URL when first used.
  setDatabaseUrl(pg.url);
  await importDataset({ root: await smallDriveDir(), name: 'carla-drive', kind: 'drive' });
}, 300_000);

afterAll(async () => {
  await stopWorkerProcesses();
  await disconnectDb();
  await pg?.stop();
  removeWithLinkedData(base);
}, 120_000);

async function finished(runId: string) {
  const r = await getDb().trainingRun.findUnique({ where: { id: runId }, include: { epochs: { orderBy: { epoch: 'asc' } } } });
  return r && ['completed', 'failed', 'cancelled'].includes(r.status) ? r : null;
}

describe('training while the database is away', () => {
  it('a run whose PostgreSQL is SIGKILLed mid-epoch and restarted completes with the epoch of an undisturbed run', async () => {
    const db = getDb();
    startWorkerProcess();
    const { runId } = await startTrainingRun(OPTIONS);
    await waitFor(
      'the epoch under way',
      async () => {
        const r = await db.trainingRun.findUnique({ where: { id: runId } });
        return r && r.status === 'running' && r.progress > 0.2;
      },
      300_000,
    );
    const postmaster = Number(readFileSync(path.join(pg!.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(postmaster, 'SIGKILL');
    await pg!.exited;
    pg = await pg!.restart();

    const disturbed = await waitFor('the run, finished', () => finished(runId), 600_000);
    expect(disturbed.status, disturbed.error ?? '').toBe('completed');
    expect(disturbed.checkpointId).not.toBeNull();

    // The same run again, nothing disturbing it (the same worker: it outlived the outage).
    const again = await startTrainingRun(OPTIONS);
    const undisturbed = await waitFor('the undisturbed run, finished', () => finished(again.runId), 600_000);
    expect(undisturbed.status, undisturbed.error ?? '').toBe('completed');
    const history = (r: typeof disturbed) => r.epochs.map((e) => [e.epoch, e.trainLoss, e.valMiou]);
    expect(history(disturbed)).toEqual(history(undisturbed));
    expect(disturbed.bestEpoch).toBe(undisturbed.bestEpoch);
  }, 900_000);
});

import pg from 'pg';
import { databaseUrlOrThrow } from '../config.ts';
import { getDb } from '../db/client.ts';
import { finalizeEvaluationRun } from '../evaluation/finalize-evaluation-run.ts';
import { UNFINISHED_EVALUATION_STATUSES, UNFINISHED_TRAINING_STATUSES } from '../run-status.ts';
import { enqueue } from '../jobs/enqueue.ts';
import { JOB_DEFINITIONS } from '../jobs/definitions.ts';
import { trainingJobOptions } from '../jobs/training-job-options.ts';

/**
 * A run's own catch block marks it failed, but only while its process lives. A worker killed
 * mid-job (SIGKILL, out of memory, power) leaves the run `running` or `finalizing` while
 * pg-boss retries the job and, after its last attempt, records it failed. This sweep looks at
 * what the queue still holds for each unfinished run and puts the run right:
 * - a job that can still run (queued, waiting to retry, active): leave it; a training run
 *   waiting for its retry after a crash says `interrupted` (it resumes from its last epoch);
 * - every prediction stored but the run not completed (killed while finalising): finalise it;
 * - the queue gave up after the worker stopped on every attempt: failed, saying so;
 * - no job at all (deleted, or never sent): sent again; the work resumes where it stopped
 *   (stored predictions are skipped, training resumes from its last saved epoch);
 * - a training run whose cancel was asked while nothing runs it: cancelled.
 * Run by every worker at start and every minute; one sweep at a time across all of them.
 */
export interface RepairReport {
  finalized: string[];
  failed: string[];
  resent: string[];
  interrupted: string[];
  cancelled: string[];
}

const LIVE = new Set(['created', 'retry', 'active']);
/** Any constant: the session lock that lets one worker's sweep run at a time. */
const SWEEP_LOCK_KEY = 0x70787264; // 'pxrd'

type JobRow = { state: string; retry_count: number };

async function jobsOf(client: pg.Client, queue: string, runId: string): Promise<JobRow[]> {
  const r = await client.query<JobRow>(`SELECT state::text AS state, retry_count FROM pgboss.job WHERE name = $1 AND data->>'runId' = $2`, [queue, runId]);
  return r.rows;
}

function attempts(jobs: JobRow[]): number {
  return Math.max(1, ...jobs.map((j) => j.retry_count + 1));
}

export async function repairRuns(): Promise<RepairReport | null> {
  // A session lock on a connection of its own: released when the sweep ends or its process dies.
  const client = new pg.Client({ connectionString: databaseUrlOrThrow() });
  // The database going away mid-sweep is an error of this sweep, not of the process (an unheard 'error' event would end it).
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [SWEEP_LOCK_KEY]);
    if (!rows[0].locked) return null; // another worker is sweeping
    const report: RepairReport = { finalized: [], failed: [], resent: [], interrupted: [], cancelled: [] };
    await repairEvaluations(client, report);
    await repairTraining(client, report);
    return report;
  } finally {
    await client.end().catch(() => {});
  }
}

async function repairEvaluations(client: pg.Client, report: RepairReport): Promise<void> {
  const db = getDb();
  const runs = await db.evaluationRun.findMany({
    where: { status: { in: UNFINISHED_EVALUATION_STATUSES } },
    select: { id: true, status: true, totalImages: true, datasetId: true, split: true, chunkSize: true },
  });
  for (const run of runs) {
    const jobs = await jobsOf(client, JOB_DEFINITIONS.evaluationChunk.queue, run.id);
    if (jobs.some((j) => LIVE.has(j.state))) continue;
    const stored = await db.prediction.count({ where: { runId: run.id } });
    if (stored >= run.totalImages) {
      // Killed while finalising (or between the last prediction and finalising): the numbers come only from stored predictions.
      await db.evaluationRun.updateMany({ where: { id: run.id, status: { in: ['queued', 'finalizing'] } }, data: { status: 'running' } });
      if (await finalizeEvaluationRun(run.id)) report.finalized.push(run.id);
      continue;
    }
    if (jobs.some((j) => j.state === 'failed')) {
      const reason = `failed: the worker stopped while evaluating part of it, ${attempts(jobs)} times; it was not retried again.`;
      const r = await db.evaluationRun.updateMany({
        where: { id: run.id, status: { in: UNFINISHED_EVALUATION_STATUSES } },
        data: { status: 'failed', error: reason, finishedAt: new Date() },
      });
      if (r.count) report.failed.push(run.id);
      continue;
    }
    // No job left that could finish it: send the missing images again.
    const missing = await db.datasetImage.findMany({
      where: { datasetId: run.datasetId, split: run.split, predictions: { none: { runId: run.id } } },
      select: { id: true },
      orderBy: { key: 'asc' },
    });
    const stamp = Date.now();
    for (let i = 0, chunk = 0; i < missing.length; i += run.chunkSize, chunk++) {
      await enqueue(
        'evaluationChunk',
        { runId: run.id, chunk, imageIds: missing.slice(i, i + run.chunkSize).map((m) => m.id) },
        { singletonKey: `${run.id}:resent-${stamp}:${chunk}` },
      );
    }
    if (missing.length) report.resent.push(run.id);
  }
}

async function repairTraining(client: pg.Client, report: RepairReport): Promise<void> {
  const db = getDb();
  const runs = await db.trainingRun.findMany({
    where: { status: { in: UNFINISHED_TRAINING_STATUSES } },
    select: { id: true, status: true, cancelRequested: true, epochsTotal: true },
  });
  for (const run of runs) {
    const jobs = await jobsOf(client, JOB_DEFINITIONS.training.queue, run.id);
    if (jobs.some((j) => j.state === 'active')) continue;
    if (run.cancelRequested) {
      const r = await db.trainingRun.updateMany({
        where: { id: run.id, status: { in: UNFINISHED_TRAINING_STATUSES } },
        data: { status: 'cancelled', finishedAt: new Date(), error: 'cancelled by user' },
      });
      if (r.count) report.cancelled.push(run.id);
      continue;
    }
    if (jobs.some((j) => LIVE.has(j.state))) {
      // Waiting for its retry after the worker stopped: it resumes from its last epoch.
      if (run.status === 'running' && jobs.some((j) => j.state === 'retry')) {
        const r = await db.trainingRun.updateMany({ where: { id: run.id, status: 'running' }, data: { status: 'interrupted' } });
        if (r.count) report.interrupted.push(run.id);
      }
      continue;
    }
    if (jobs.some((j) => j.state === 'failed')) {
      const reason = `failed: the worker stopped while training it, ${attempts(jobs)} times (each time it resumed from its last epoch); it was not retried again.`;
      const r = await db.trainingRun.updateMany({
        where: { id: run.id, status: { in: UNFINISHED_TRAINING_STATUSES } },
        data: { status: 'failed', error: reason, finishedAt: new Date() },
      });
      if (r.count) report.failed.push(run.id);
      continue;
    }
    await enqueue('training', { runId: run.id }, trainingJobOptions(run.epochsTotal));
    report.resent.push(run.id);
  }
}

/** Every worker: a sweep at start and then every `intervalMs`; returns the stop function. */
export function startRepairSweeps(o: { log: (m: string) => void; intervalMs?: number }): () => void {
  const sweep = async () => {
    try {
      const r = await repairRuns();
      if (!r) return;
      for (const [what, ids] of Object.entries(r)) if (ids.length) o.log(`repair: ${what} ${ids.join(', ')}`);
    } catch (e) {
      o.log(`repair sweep failed: ${(e as Error).message}`);
    }
  };
  void sweep();
  const timer = setInterval(() => void sweep(), o.intervalMs ?? 60_000);
  timer.unref();
  return () => clearInterval(timer);
}

import { describe, expect, it } from 'vitest';
import '../inference/tfjs-support.ts';
import { makeTestCheckpoint } from '../../test/checkpoint-fixture.ts';
import { OFFICIAL_DIR } from '../../test/fixtures.ts';
import { registerCheckpoint } from '../checkpoints/register-checkpoints.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { getDb } from '../db/client.ts';
import { createEvaluationRun } from '../evaluation/create-evaluation-run.ts';
import { processEvaluationChunk } from '../evaluation/process-evaluation-chunk.ts';
import { startTrainingRun } from '../training/start-training-run.ts';
import { repairRuns } from './repair-runs.ts';

/** What a crash leaves in the queue: set this run's jobs to a pg-boss state by hand. */
async function setJobs(runId: string, state: 'created' | 'retry' | 'active' | 'completed' | 'failed' | 'deleted', retryCount = 0): Promise<void> {
  const db = getDb();
  if (state === 'deleted') await db.$executeRawUnsafe(`DELETE FROM pgboss.job WHERE data->>'runId' = $1`, runId);
  else await db.$executeRawUnsafe(`UPDATE pgboss.job SET state = $2::pgboss.job_state, retry_count = $3 WHERE data->>'runId' = $1`, runId, state, retryCount);
}

async function jobCount(runId: string, states: string[]): Promise<number> {
  const rows = await getDb().$queryRawUnsafe<{ n: bigint }[]>(
    `SELECT count(*) AS n FROM pgboss.job WHERE data->>'runId' = $1 AND state::text = ANY($2::text[])`,
    runId,
    states,
  );
  return Number(rows[0].n);
}

async function evaluation() {
  const { id: datasetId } = await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' });
  const ck = await registerCheckpoint(await makeTestCheckpoint('segnet', 31));
  const { runId } = await createEvaluationRun({ checkpointId: ck.id, datasetId, split: 'test', chunkSize: 2 });
  const imageIds = (await getDb().datasetImage.findMany({ where: { datasetId, split: 'test' }, select: { id: true }, orderBy: { key: 'asc' } })).map(
    (i) => i.id,
  );
  return { runId, imageIds };
}

describe('repairRuns', () => {
  it('finalises a run whose worker died while finalising, with the same numbers', async () => {
    const db = getDb();
    const { runId, imageIds } = await evaluation();
    await processEvaluationChunk({ runId, imageIds, retryCount: 0 });
    const done = await db.evaluationRun.findUniqueOrThrow({ where: { id: runId } });
    expect(done.status).toBe('completed');
    // What a SIGKILL during finalisation leaves: predictions all stored, status finalizing, no numbers, the job over.
    await db.classMetric.deleteMany({ where: { runId } });
    await db.evaluationRun.update({ where: { id: runId }, data: { status: 'finalizing', miou: null, metrics: undefined } });
    await setJobs(runId, 'completed');
    const report = await repairRuns();
    expect(report?.finalized).toContain(runId);
    const repaired = await db.evaluationRun.findUniqueOrThrow({
      where: { id: runId },
      include: { _count: { select: { predictions: true, classMetrics: true } } },
    });
    expect(repaired.status).toBe('completed');
    expect(repaired.miou).toBe(done.miou);
    expect(repaired._count).toEqual({ predictions: imageIds.length, classMetrics: 13 });
  });

  it('fails a run whose chunk crashed the worker on every attempt, saying so', async () => {
    const { runId } = await evaluation();
    await setJobs(runId, 'failed', 4);
    expect((await repairRuns())?.failed).toContain(runId);
    const run = await getDb().evaluationRun.findUniqueOrThrow({ where: { id: runId } });
    expect(run.status).toBe('failed');
    expect(run.error).toBe('failed: the worker stopped while evaluating part of it, 5 times; it was not retried again.');
  });

  it('sends the missing images again when a run has no job left, and leaves runs with live jobs alone', async () => {
    const { runId, imageIds } = await evaluation();
    await processEvaluationChunk({ runId, imageIds: imageIds.slice(0, 2), retryCount: 0 });
    expect((await repairRuns())?.resent ?? []).not.toContain(runId); // its jobs are still queued
    await setJobs(runId, 'deleted');
    expect((await repairRuns())?.resent).toContain(runId);
    const sent = await getDb().$queryRawUnsafe<{ ids: string[] }[]>(`SELECT data->'imageIds' AS ids FROM pgboss.job WHERE data->>'runId' = $1`, runId);
    expect(sent.flatMap((r) => r.ids).sort()).toEqual(imageIds.slice(2).sort());
  });

  it('marks a training run interrupted while its job waits to retry, fails it when the queue gave up, cancels it when asked and nothing runs it', async () => {
    const db = getDb();
    const interrupted = (await startTrainingRun({ arch: 'unet', epochs: 1, width: 2 })).runId;
    await db.trainingRun.update({ where: { id: interrupted }, data: { status: 'running' } });
    await setJobs(interrupted, 'retry', 1);
    expect((await repairRuns())?.interrupted).toContain(interrupted);
    expect((await db.trainingRun.findUniqueOrThrow({ where: { id: interrupted } })).status).toBe('interrupted');
    await setJobs(interrupted, 'failed', 3);
    expect((await repairRuns())?.failed).toContain(interrupted);
    expect((await db.trainingRun.findUniqueOrThrow({ where: { id: interrupted } })).error).toMatch(/worker stopped while training it, 4 times/);

    const orphan = (await startTrainingRun({ arch: 'unet', epochs: 1, width: 2 })).runId;
    await db.trainingRun.update({ where: { id: orphan }, data: { status: 'running', cancelRequested: true } });
    await setJobs(orphan, 'deleted');
    expect((await repairRuns())?.cancelled).toContain(orphan);
    expect((await db.trainingRun.findUniqueOrThrow({ where: { id: orphan } })).status).toBe('cancelled');
    expect(await jobCount(orphan, ['created', 'retry', 'active'])).toBe(0);
  });
});

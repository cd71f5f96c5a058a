import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTestCheckpoint } from '../../test/checkpoint-fixture.ts';
import { getDb } from '../db/client.ts';
import { registerCheckpoint } from './register-checkpoints.ts';

async function queuedTrainingRun(): Promise<string> {
  return (await getDb().trainingRun.create({ data: { arch: 'unet', options: {}, epochsTotal: 1, status: 'running' } })).id;
}

const finished = (id: string) => ({ id, bestEpoch: 1, bestValMiou: 0.42, wallSeconds: 3 });

describe('registerCheckpoint with the training run that produced it', () => {
  it('links and completes that run in the same transaction, adding no history copy', async () => {
    const db = getDb();
    const runId = await queuedTrainingRun();
    const ck = await registerCheckpoint(await makeTestCheckpoint('unet', 21), { trainingRun: finished(runId) });
    const runs = await db.trainingRun.findMany({ where: { checkpointId: ck.id } });
    expect(runs.map((r) => [r.id, r.status, r.bestValMiou])).toEqual([[runId, 'completed', 0.42]]);
  });

  it('leaves other runs of the same weights alone (no blanket delete)', async () => {
    const db = getDb();
    const folder = await makeTestCheckpoint('unet', 22);
    const first = await registerCheckpoint(folder); // registered from disk: its history run
    const runId = await queuedTrainingRun();
    const again = await registerCheckpoint(folder, { trainingRun: finished(runId) }); // same weights trained here
    expect(again.id).toBe(first.id);
    expect(await db.trainingRun.count({ where: { checkpointId: first.id } })).toBe(2);
  });

  it('registers nothing when the run cannot be completed', async () => {
    const db = getDb();
    const before = await db.checkpoint.count();
    await expect(registerCheckpoint(await makeTestCheckpoint('unet', 23), { trainingRun: finished('no-such-run') })).rejects.toThrow();
    expect(await db.checkpoint.count()).toBe(before);
  });
});

describe('registerCheckpoint from a folder', () => {
  it("gives the history run the selection number that chose the epoch, not the card's val number", async () => {
    const folder = path.resolve('models/checkpoints/segnet');
    const card = JSON.parse(await readFile(path.join(folder, 'card.json'), 'utf8'));
    const ck = await registerCheckpoint(folder);
    const [run] = await getDb().trainingRun.findMany({ where: { checkpointId: ck.id } });
    expect(card.selection.miou).not.toBe(card.valMiou);
    expect([run.bestEpoch, run.bestValMiou]).toEqual([card.bestEpoch, card.selection.miou]);
    // A database from before took the card's val number: the next registration (every start) corrects it.
    await getDb().trainingRun.update({ where: { id: run.id }, data: { bestValMiou: card.valMiou } });
    await registerCheckpoint(folder);
    expect((await getDb().trainingRun.findUniqueOrThrow({ where: { id: run.id } })).bestValMiou).toBe(card.selection.miou);
  });
});

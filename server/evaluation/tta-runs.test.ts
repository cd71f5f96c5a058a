import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeTestCheckpoint } from '../../test/checkpoint-fixture.ts';
import { evaluateNow } from '../../test/evaluate-now.ts';
import { OFFICIAL_DIR } from '../../test/fixtures.ts';
import { registerCheckpoint } from '../checkpoints/register-checkpoints.ts';
import { config } from '../config.ts';
import { getLeaderboard } from '../dashboard/get-leaderboard.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { getDb } from '../db/client.ts';
import '../inference/tfjs-support.ts';
import { createEvaluationRun } from './create-evaluation-run.ts';

describe('flip-averaged evaluations', () => {
  it('are their own runs and their own leaderboard row, compared pairwise with the plain run of the same checkpoint', async () => {
    const { id: datasetId } = await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' });
    const ck = await registerCheckpoint(path.join(config.checkpointsDir, 'deeplabv3plus'));
    const plain = await evaluateNow(ck.id, datasetId, 'test');
    const flip = await evaluateNow(ck.id, datasetId, 'test', 'flip');
    expect([plain.status, flip.status]).toEqual(['completed', 'completed']);
    expect([plain.tta, flip.tta]).toEqual(['none', 'flip']);
    expect(flip.predictions.length).toBe(4);
    // Different label maps (the mirror pass changes pixels), so a different run, not a copy.
    const changed = flip.predictions.filter((p, i) => Buffer.compare(Buffer.from(p.labelPng), Buffer.from(plain.predictions[i].labelPng)) !== 0);
    expect(changed.length).toBeGreaterThan(0);

    const board = await getLeaderboard({ datasetName: 'carla-official', split: 'test' });
    const rows = board.rows.filter((r) => r.checkpointId === ck.id);
    expect(rows.map((r) => r.tta).sort()).toEqual(['flip', 'none']);
    const flipRow = rows.find((r) => r.tta === 'flip')!;
    const plainRow = rows.find((r) => r.tta === 'none')!;
    expect([plainRow.runId, flipRow.runId]).toEqual([plain.id, flip.id]);
    expect(flipRow.name).toBe(`${plainRow.name} · flip-averaged`);
    expect(flipRow.miou).toBeCloseTo(flip.miou!, 12);
    expect(plainRow.miou).toBeCloseTo(plain.miou!, 12);
    expect(flipRow.parent?.runId).toBe(plain.id);
    expect(flipRow.parent?.vs?.difference.estimate).toBeCloseTo(flip.miou! - plain.miou!, 6);
    expect(plainRow.parent).toBeNull();
  });

  it('is refused for a model without scores of its own (imported or a variant), creating no run', async () => {
    const { id: datasetId } = await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' });
    const ck = await registerCheckpoint(await makeTestCheckpoint('unet', 71));
    await getDb().checkpoint.update({ where: { id: ck.id }, data: { source: 'int8' } });
    const before = await getDb().evaluationRun.count();
    await expect(createEvaluationRun({ checkpointId: ck.id, datasetId, split: 'test', tta: 'flip' })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      userMessage: expect.stringMatching(/Flip averaging/),
    });
    expect(await getDb().evaluationRun.count()).toBe(before);
  });
});

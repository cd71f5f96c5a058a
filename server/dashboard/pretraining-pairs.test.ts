import { describe, expect, it } from 'vitest';
import { makeTestCheckpoint } from '../../test/checkpoint-fixture.ts';
import { evaluateNow } from '../../test/evaluate-now.ts';
import { OFFICIAL_DIR } from '../../test/fixtures.ts';
import { registerCheckpoint } from '../checkpoints/register-checkpoints.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { getDb } from '../db/client.ts';
import { exportOnnx } from '../inference/export-onnx.ts';
import { getLeaderboard } from './get-leaderboard.ts';

/** A registered untrained checkpoint, exported for evaluation. */
async function checkpoint(arch: 'unet-mobilenetv2' | 'deeplabv3plus-mobilenetv2', seed: number, config: Record<string, unknown>) {
  const dir = await makeTestCheckpoint(arch, seed, config);
  await exportOnnx(dir);
  return registerCheckpoint(dir);
}

describe('what pretraining buys, on the leaderboard', () => {
  it('pairs a random-init control with the best pretrained model of its architecture, and nothing else', async () => {
    const { id: datasetId } = await importDataset({ root: OFFICIAL_DIR, name: 'carla-official', kind: 'heldout' });
    // Untrained networks: the pretrained one starts from the package's encoder, the control from random weights.
    const pretrained = await checkpoint('unet-mobilenetv2', 91, { encoderInit: 'nsfwjs' });
    const control = await checkpoint('unet-mobilenetv2', 92, { encoderInit: 'random' });
    // A control of the other architecture has no pretrained counterpart: no pair.
    const lone = await checkpoint('deeplabv3plus-mobilenetv2', 93, { encoderInit: 'random', alpha: 0.35 });
    const [p, c] = [await evaluateNow(pretrained.id, datasetId, 'test'), await evaluateNow(control.id, datasetId, 'test')];
    await evaluateNow(lone.id, datasetId, 'test');
    // A variant of the pretrained model is never the counterpart, even when ranked above it.
    const variant = await checkpoint('unet-mobilenetv2', 94, { encoderInit: 'nsfwjs' });
    await getDb().checkpoint.update({ where: { id: variant.id }, data: { source: 'int8' } });
    await evaluateNow(variant.id, datasetId, 'test');

    const board = await getLeaderboard({ datasetName: 'carla-official', split: 'test' });
    const mine = board.pretraining.filter((x) => [p.id, c.id].includes(x.a) || [p.id, c.id].includes(x.b));
    expect(mine).toHaveLength(1);
    expect([mine[0].a, mine[0].b]).toEqual([p.id, c.id]);
    expect(mine[0].bName).toBe('U-Net · MobileNetV2 (random init)');
    // The difference is pretrained − control on the dataset-level mIoU of the shared frames.
    expect(mine[0].result.difference.estimate).toBeCloseTo(p.miou! - c.miou!, 6);
    expect(board.rows.find((r) => r.checkpointId === lone.id)?.encoderInit).toBe('random');
    expect(board.pretraining.some((x) => x.b === board.rows.find((r) => r.checkpointId === lone.id)?.runId)).toBe(false);
  }, 240_000);
});

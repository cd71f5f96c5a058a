import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateNow } from '../../test/evaluate-now.ts';
import { DRIVE_DIR } from '../../test/fixtures.ts';
import { registerCheckpoint } from '../checkpoints/register-checkpoints.ts';
import { config } from '../config.ts';
import { getLeaderboard } from '../dashboard/get-leaderboard.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { getDb } from '../db/client.ts';
import { DataType, decodeOnnx } from '../onnx-import/onnx-graph.ts';
import { createVariants } from './create-variants.ts';

beforeAll(async () => {
  config.modelsDir = await mkdtemp(path.join(os.tmpdir(), 'pixeldrive-models-'));
});

describe('createVariants', () => {
  it('makes fp16 (half the file, same mIoU within 0.001) and int8 (≥ 3.5× smaller, QDQ with per-channel weights) rows of the shipped U-Net, compared with it on the leaderboard', async () => {
    const { id: datasetId } = await importDataset({ root: DRIVE_DIR, name: 'carla-drive', kind: 'drive' });
    const parent = await registerCheckpoint(path.join(config.checkpointsDir, 'unet'));
    const variants = await createVariants({ arch: 'unet', calibrationFrames: 8 });
    const fp16 = variants.find((v) => v.kind === 'fp16')!;
    const int8 = variants.find((v) => v.kind === 'int8')!;
    expect(fp16.parentBytes / fp16.fileBytes).toBeGreaterThan(1.9);
    expect(int8.parentBytes / int8.fileBytes).toBeGreaterThanOrEqual(3.5);
    const int8Dir = (await getDb().checkpoint.findUniqueOrThrow({ where: { id: int8.id } })).dir;
    const graph = decodeOnnx(new Uint8Array(await readFile(path.join(int8Dir, 'model.onnx')))).graph!;
    const producer = new Map(graph.node!.flatMap((n) => n.output!.map((o) => [o, n] as const)));
    const inits = new Map(graph.initializer!.map((t) => [t.name!, t]));
    const convs = graph.node!.filter((n) => n.opType === 'Conv');
    expect(convs.length).toBeGreaterThan(10);
    for (const c of convs) {
      const dq = producer.get(c.input![1])!;
      expect(dq.opType).toBe('DequantizeLinear');
      const [w, scale] = [inits.get(dq.input![0])!, inits.get(dq.input![1])!];
      expect(w.dataType).toBe(DataType.INT8);
      expect(scale.dims!.map(Number)).toEqual([Number(w.dims![0])]); // one scale per output channel
      expect(producer.get(c.input![0])!.opType).toBe('DequantizeLinear'); // activations quantized too
    }

    const base = await evaluateNow(parent.id, datasetId, 'val');
    const half = await evaluateNow(fp16.id, datasetId, 'val');
    const quant = await evaluateNow(int8.id, datasetId, 'val');
    expect(Math.abs(half.miou! - base.miou!)).toBeLessThanOrEqual(0.001);
    expect(Math.abs(quant.miou! - base.miou!)).toBeLessThanOrEqual(0.02);

    const board = await getLeaderboard({ datasetName: 'carla-drive', split: 'val' });
    const row = board.rows.find((r) => r.checkpointId === int8.id)!;
    expect(row).toMatchObject({ source: 'int8', fileBytes: int8.fileBytes, parent: { checkpointId: parent.id, runId: base.id } });
    expect(row.parent!.vs!.difference.estimate).toBeCloseTo(quant.miou! - base.miou!, 12);
  });
});

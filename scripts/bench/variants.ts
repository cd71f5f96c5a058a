import path from 'node:path';
import { ARCH_LABEL, type Architecture } from '../../models/config.ts';
import { registerCheckpoint } from '../../server/checkpoints/register-checkpoints.ts';
import { config } from '../../server/config.ts';
import { getLeaderboard } from '../../server/dashboard/get-leaderboard.ts';
import { importDataset } from '../../server/dataset/import-dataset.ts';
import { getDb } from '../../server/db/client.ts';
import { createEvaluationRun } from '../../server/evaluation/create-evaluation-run.ts';
import { processEvaluationChunk } from '../../server/evaluation/process-evaluation-chunk.ts';
import { getSegmenter } from '../../server/inference/segmenter.ts';
import { createVariants } from '../../server/variants/create-variants.ts';
import { median } from './stats.ts';

export interface VariantRow {
  model: string;
  source: string;
  fileBytes: number;
  smallerThanFp32: number;
  msPerImage: number;
  miou: number;
  miouLow: number;
  miouHigh: number;
  /** Paired bootstrap, variant − fp32, on the same val frames (null for the fp32 row). */
  vsFp32: { estimate: number; low: number; high: number; pValue: number } | null;
}

/**
 * fp32 checkpoint vs its fp16 and int8 variants, made here from the shipped weights: file
 * size, forward-pass latency (batch 1 at 256×192, labels at the same size, rounds interleaved
 * so drift on a shared machine hits all three alike) and val mIoU with the paired difference.
 */
export async function benchVariants(arch: Architecture, opts: { rounds: number }): Promise<VariantRow[]> {
  const { id: datasetId } = await importDataset({ root: path.join(config.dataDir, 'carla-drive'), name: 'carla-drive', kind: 'drive' });
  const dir = path.join(config.checkpointsDir, arch);
  const parent = await registerCheckpoint(dir);
  const variants = await createVariants({ arch });
  const models = [
    { id: parent.id, source: 'trained', fileBytes: variants[0].parentBytes },
    ...variants.map((v) => ({ id: v.id, source: v.kind as string, fileBytes: v.fileBytes })),
  ];
  const rows = await getDb().checkpoint.findMany({ where: { id: { in: models.map((m) => m.id) } }, select: { id: true, dir: true } });
  const segmenters = await Promise.all(models.map(async (m) => getSegmenter(path.resolve(rows.find((r) => r.id === m.id)!.dir))));
  const frame = { width: 256, height: 192, data: new Uint8Array(256 * 192 * 3).map((_, i) => (i * 37) % 256) };
  const times: number[][] = models.map(() => []);
  for (let round = -3; round < opts.rounds; round++) {
    for (const [i, s] of segmenters.entries()) {
      const t0 = performance.now();
      await s.segment(frame);
      if (round >= 0) times[i].push(performance.now() - t0);
    }
  }
  const ids = (await getDb().datasetImage.findMany({ where: { datasetId, split: 'val' }, select: { id: true }, orderBy: { key: 'asc' } })).map((i) => i.id);
  for (const m of models) {
    const { runId } = await createEvaluationRun({ checkpointId: m.id, datasetId, split: 'val', chunkSize: 64 });
    for (let i = 0; i < ids.length; i += 64) await processEvaluationChunk({ runId, imageIds: ids.slice(i, i + 64), retryCount: 0 });
  }
  const board = await getLeaderboard({ datasetName: 'carla-drive', split: 'val' });
  return models.map((m, i) => {
    const row = board.rows.find((r) => r.checkpointId === m.id)!;
    const vs = row.parent?.vs;
    return {
      model: i === 0 ? `${ARCH_LABEL[arch]} fp32` : row.name,
      source: m.source,
      fileBytes: m.fileBytes,
      smallerThanFp32: +(models[0].fileBytes / m.fileBytes).toFixed(2),
      msPerImage: +median(times[i]).toFixed(2),
      miou: row.miou!,
      miouLow: row.miouLow!,
      miouHigh: row.miouHigh!,
      vsFp32: vs ? { ...vs.difference, pValue: vs.pValue } : null,
    };
  });
}

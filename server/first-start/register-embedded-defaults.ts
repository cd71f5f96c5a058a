import { existsSync } from 'node:fs';
import path from 'node:path';
import { registerCheckpoints } from '../checkpoints/register-checkpoints.ts';
import { config } from '../config.ts';
import { importDataset } from '../dataset/import-dataset.ts';
import { importSweepCards } from '../experiments/import-sweep-cards.ts';
import { getDb } from '../db/client.ts';
import { exportOnnx } from '../inference/export-onnx.ts';

/** Every registered checkpoint folder that still exists (ONNX is exported for each before the web app starts). */
async function listCheckpointDirs(): Promise<string[]> {
  const rows = await getDb().checkpoint.findMany({ select: { dir: true } });
  return rows.map((r) => path.resolve(r.dir)).filter((d) => existsSync(path.join(d, 'weights.bin')));
}

const EMBEDDED_DATASETS = [
  { name: 'carla-drive', dir: 'carla-drive', kind: 'drive' as const },
  { name: 'carla-official', dir: 'carla-official', kind: 'heldout' as const },
];

/**
 * What `npm start` registers on every start (idempotent, fast when nothing changed):
 * the two embedded datasets, the shipped checkpoints and the recipe sweeps' cards. On first start it also queues
 * the evaluations of every checkpoint on the val split and the official frames.
 */
export async function registerEmbeddedDefaults({
  log,
  queueEvaluations = config.autoEvaluate,
}: {
  log: (m: string) => void;
  queueEvaluations?: boolean;
}): Promise<void> {
  for (const d of EMBEDDED_DATASETS) {
    const t0 = Date.now();
    const r = await importDataset({ root: path.join(config.dataDir, d.dir), name: d.name, kind: d.kind });
    if (r.created) log(`registered dataset ${d.name}: ${r.images} frames in ${Date.now() - t0} ms`);
  }
  const cks = await registerCheckpoints();
  const fresh = cks.filter((c) => c.created);
  if (fresh.length) log(`registered ${fresh.length} checkpoint(s): ${fresh.map((c) => c.name).join(', ')}`);
  for (const ck of await listCheckpointDirs()) {
    const r = await exportOnnx(ck);
    if (r.exported) log(`exported ${path.relative(process.cwd(), r.file)} for ONNX Runtime`);
  }
  // After the checkpoints: a sweep card of weights registered above is their history already.
  if (existsSync(config.benchResultsDir)) {
    const { imported } = await importSweepCards();
    if (imported.length) log(`imported ${imported.length} training run(s) from the recipe sweeps' cards in bench-results/ (page /experiments)`);
  }
  if (!cks.length) log(`no trained checkpoints in ${path.relative(process.cwd(), config.checkpointsDir)} yet (npm run cli -- train --arch unet)`);
  if (queueEvaluations) {
    const { queueDefaultEvaluations } = await import('../evaluation/queue-default-evaluations.ts');
    const queued = (await queueDefaultEvaluations()).runIds.length;
    if (queued > 0) log(`queued ${queued} evaluation run(s) of the shipped checkpoints (progress on /runs)`);
  }
}

import { ARCHITECTURES } from '../../models/config.ts';
import { getDb } from '../../server/db.ts';
import { createEvaluationRun } from '../../server/evaluation/create-evaluation-run.ts';
import { startWorker } from '../../server/jobs/start-worker.ts';
import { bootstrapEmbeddedDefaults } from '../../server/bootstrap/bootstrap-embedded-defaults.ts';
import { parseArgs, UsageError } from './args.ts';
import { withCliDatabase } from './database.ts';
import { ProgressBar } from './progress.ts';

export const EVAL_USAGE = 'eval --arch unet|segnet|deeplabv3plus|all --split train|val|test [--dataset carla-drive]';

/** Queues evaluation runs and works on them in this process too (other workers may help), with a progress bar. */
export async function evalCommand(argv: string[]): Promise<void> {
  const { flags } = parseArgs(argv, { arch: 'string', split: 'string', dataset: 'string' });
  const arch = String(flags.arch ?? '');
  if (arch !== 'all' && !(ARCHITECTURES as readonly string[]).includes(arch)) throw new UsageError('--arch must be unet, segnet, deeplabv3plus or all');
  const split = String(flags.split ?? '');
  if (!['train', 'val', 'test'].includes(split)) throw new UsageError('--split must be train, val or test');
  const datasetName = String(flags.dataset ?? (split === 'test' ? 'carla-official' : 'carla-drive'));
  await withCliDatabase(async () => {
    const db = getDb();
    await bootstrapEmbeddedDefaults({ log: (m) => console.error(m), queueEvaluations: false });
    const dataset = await db.dataset.findUnique({ where: { name: datasetName } });
    if (!dataset) throw new UsageError(`dataset "${datasetName}" is not registered (npm run cli -- data import <dir> --name ${datasetName})`);
    const checkpoints = await db.checkpoint.findMany({ where: arch === 'all' ? {} : { arch }, orderBy: { createdAt: 'desc' } });
    const latest = [...new Map(checkpoints.map((c) => [c.arch, c])).values()];
    if (!latest.length) throw new UsageError(`no trained checkpoint for ${arch} (npm run cli -- train --arch ${arch === 'all' ? 'unet' : arch})`);
    const runs = [];
    for (const ck of latest) runs.push({ ck, ...(await createEvaluationRun({ checkpointId: ck.id, datasetId: dataset.id, split: split as 'val' })) });
    await startWorker({ queues: ['evaluationChunk'] });
    const total = runs.reduce((s, r) => s + 0 + r.chunks, 0);
    const bar = new ProgressBar(`eval ${datasetName}/${split}`, total);
    for (;;) {
      const rows = await db.evaluationRun.findMany({ where: { id: { in: runs.map((r) => r.runId) } }, include: { _count: { select: { predictions: true } } } });
      const done = rows.reduce((s, r) => s + r._count.predictions, 0);
      const all = rows.reduce((s, r) => s + r.totalImages, 0);
      bar.update(done, rows.map((r) => r.status).join(' '), all);
      if (rows.every((r) => ['completed', 'failed', 'cancelled'].includes(r.status))) {
        for (const r of rows) {
          const ck = runs.find((x) => x.runId === r.id)!.ck;
          const m = r.metrics as { miou: number; miouLow: number; miouHigh: number; pixelAccuracy: number } | null;
          console.log(
            r.status === 'completed' && m
              ? `${ck.name.padEnd(11)} mIoU ${(m.miou * 100).toFixed(1)} [${(m.miouLow * 100).toFixed(1)}, ${(m.miouHigh * 100).toFixed(1)}]  pixel acc ${(m.pixelAccuracy * 100).toFixed(1)}  ${r.backend}  ${r.imagesPerSecond?.toFixed(2)} img/s  run ${r.id}`
              : `${ck.name.padEnd(11)} ${r.status}: ${r.error ?? ''}`,
          );
        }
        if (rows.some((r) => r.status !== 'completed')) process.exitCode = 1;
        return;
      }
      await new Promise((res) => setTimeout(res, 500));
    }
  });
}

import { readFile } from 'node:fs/promises';
import { architectureSchema, ARCH_CHOICES, ARCHITECTURES } from '../../models/config.ts';
import { getDb } from '../../server/db/client.ts';
import { isDatabaseUnavailable } from '../../server/db/database-outage.ts';
import { SPLITS } from '../../server/schemas/dataset.ts';
import { evaluationMetricsSchema } from '../../server/schemas/evaluation.ts';
import { parseJson } from '../../server/schemas/common.ts';
import { AppError } from '../../server/errors.ts';
import { createEvaluationRuns } from '../../server/evaluation/create-evaluation-runs.ts';
import { runDisplayName, TTA_MODES, ttaSchema } from '../../server/inference/tta.ts';
import { startWorker } from '../../server/worker/start-worker.ts';
import { registerEmbeddedDefaults } from '../../server/first-start/register-embedded-defaults.ts';
import { parseArgs, UsageError } from './args.ts';
import { parseRobustnessFlags, printRobustness } from './robustness.ts';
import { withCliDatabase } from './database.ts';
import { ProgressBar } from './progress.ts';
import { qualityLines } from './quality-lines.ts';

export const EVAL_USAGE = `eval --arch ${ARCH_CHOICES}|all | --model NAME  --split train|val|test [--dataset carla-drive] [--tta none|flip] [--no-calibration] [--no-boundary] [--cost-matrix FILE.json] [--robustness [--corruptions fog,rain,…] [--severities 1,2,3,4,5]]`;

const FINISHED = ['completed', 'failed', 'cancelled'];
const POLL_MS = 500;
/** How long the progress loop waits for a database that went away (scripts/cli/database.ts waits as long for each statement). */
const DATABASE_PATIENCE_MS = 60_000;

/** Queues evaluation runs and works on them in this process too (other workers may help), with a progress bar. */
export async function evalCommand(argv: string[]): Promise<void> {
  const { flags, positional } = parseArgs(argv, {
    arch: 'string',
    model: 'string',
    split: 'string',
    dataset: 'string',
    tta: 'string',
    calibration: 'boolean',
    boundary: 'boolean',
    'no-calibration': 'boolean',
    'no-boundary': 'boolean',
    'cost-matrix': 'string',
    robustness: 'boolean',
    corruptions: 'string',
    severities: 'string',
  });
  if (positional.length) throw new UsageError(`unexpected argument "${positional[0]}" (quote a model name with spaces)`);
  const model = typeof flags.model === 'string' ? flags.model : null;
  if ((model === null) === (flags.arch === undefined)) throw new UsageError('give either --arch or --model');
  const arch = flags.arch === 'all' ? ('all' as const) : architectureSchema.safeParse(flags.arch).data;
  if (model === null && !arch) throw new UsageError(`--arch must be ${ARCHITECTURES.join(', ')} or all`);
  const split = SPLITS.find((s) => s === flags.split);
  if (!split) throw new UsageError(`--split must be ${SPLITS.join(', ')}`);
  const costMatrix = typeof flags['cost-matrix'] === 'string' ? await readCostMatrix(flags['cost-matrix']) : undefined;
  const datasetName = String(flags.dataset ?? (split === 'test' ? 'carla-official' : 'carla-drive'));
  const tta = ttaSchema.safeParse(flags.tta ?? 'none').data;
  if (!tta) throw new UsageError(`--tta must be ${TTA_MODES.join(' or ')}`);
  const robustness = parseRobustnessFlags(flags);
  await withCliDatabase(async () => {
    const db = getDb();
    await registerEmbeddedDefaults({ log: (m) => console.error(m), queueEvaluations: false });
    const dataset = await db.dataset.findUnique({ where: { name: datasetName } });
    if (!dataset) throw new UsageError(`dataset "${datasetName}" is not registered (npm run cli -- data import <dir> --name ${datasetName})`);
    // --model: any registered model by name (an import, a variant, a random-init control; the newest of that name).
    const named =
      model === null ? null : await db.checkpoint.findFirst({ where: { name: model }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], select: { id: true } });
    if (model !== null && !named) throw new UsageError(`no model named "${model}" (npm run cli -- models import …)`);
    const runs = await createEvaluationRuns({
      models: named ? { checkpointId: named.id } : arch!,
      datasetId: dataset.id,
      split,
      tta,
      ...qualityFlags(flags),
      costMatrix,
      robustness,
    }).catch((e: unknown) => {
      if (e instanceof AppError && e.code === 'NOT_FOUND')
        throw new UsageError(`no trained checkpoint for ${arch} (npm run cli -- train --arch ${arch === 'all' ? 'unet' : arch})`);
      throw e;
    });
    await startWorker({ queues: ['evaluationChunk'] });
    const bar = new ProgressBar(
      `eval ${datasetName}/${split}`,
      runs.reduce((s, r) => s + r.chunks, 0),
    );
    let awaySince: number | null = null;
    const shown = { done: 0, all: runs.reduce((s, r) => s + r.chunks, 0) };
    for (;;) {
      const rows = await db.evaluationRun
        .findMany({
          where: { id: { in: runs.map((r) => r.runId) } },
          include: { _count: { select: { predictions: true } }, quality: { select: { summary: true } } },
        })
        .catch((e: unknown) => {
          // The runs go on in the workers while the database is away (npm start restarts it): wait with them.
          if (!isDatabaseUnavailable(e) || (awaySince !== null && Date.now() - awaySince > DATABASE_PATIENCE_MS)) throw e;
          awaySince ??= Date.now();
          return null;
        });
      if (rows === null) {
        bar.update(shown.done, 'database unavailable, waiting', shown.all);
        await new Promise((res) => setTimeout(res, POLL_MS));
        continue;
      }
      awaySince = null;
      shown.done = rows.reduce((s, r) => s + r._count.predictions, 0);
      shown.all = rows.reduce((s, r) => s + r.totalImages, 0);
      bar.update(shown.done, rows.map((r) => r.status).join(' '), shown.all);
      if (rows.every((r) => FINISHED.includes(r.status))) {
        for (const r of rows) {
          const name = runDisplayName(runs.find((x) => x.runId === r.id)!.checkpointName, r.tta).padEnd(11);
          const m = r.metrics === null ? null : parseJson(evaluationMetricsSchema, r.metrics, `run ${r.id} metrics`);
          const pct = (v: number | null) => (v === null ? '—' : (v * 100).toFixed(1));
          console.log(
            r.status === 'completed' && m
              ? `${name} mIoU ${pct(m.miou)} [${pct(m.miouLow)}, ${pct(m.miouHigh)}]  pixel acc ${pct(m.pixelAccuracy)}  ${r.backend}  ${r.imagesPerSecond?.toFixed(2)} img/s  run ${r.id}`
              : `${name} ${r.status}: ${r.error ?? ''}`,
          );
          if (r.status === 'completed' && r.quality?.summary) for (const line of qualityLines(r.quality.summary, r.id)) console.log(line);
        }
        if (robustness)
          await printRobustness(
            rows.filter((r) => r.status === 'completed').map((r) => ({ runId: r.id, name: runs.find((x) => x.runId === r.id)!.checkpointName })),
          );
        if (rows.some((r) => r.status !== 'completed')) process.exitCode = 1;
        return;
      }
      await new Promise((res) => setTimeout(res, POLL_MS));
    }
  });
}

/**
 * Calibration and boundary IoU are computed unless switched off; `--calibration` / `--boundary`
 * are still accepted (they ask for the default), and asking for both on and off is an error.
 */
export function qualityFlags(flags: Record<string, string | boolean>): { calibration: boolean; boundary: boolean } {
  for (const m of ['calibration', 'boundary']) if (flags[m] && flags[`no-${m}`]) throw new UsageError(`give --${m} or --no-${m}, not both`);
  return { calibration: flags['no-calibration'] !== true, boundary: flags['no-boundary'] !== true };
}

/** A cost matrix file: JSON, 13 rows of 13 numbers (truth × prediction); its values are checked where the run is created. */
async function readCostMatrix(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((e: NodeJS.ErrnoException) => {
    throw new UsageError(`--cost-matrix: cannot read ${file} (${e.code ?? e.message})`);
  });
  try {
    return JSON.parse(text);
  } catch {
    throw new UsageError(`--cost-matrix: ${file} is not JSON (13 rows of 13 numbers, truth × prediction)`);
  }
}

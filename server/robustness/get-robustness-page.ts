import { CLASSES } from '../../models/classes.ts';
import { getDb } from '../db/client.ts';
import { parseJson } from '../schemas/common.ts';
import { AppError } from '../errors.ts';
import { computeMetrics } from '../metrics/class-metrics.ts';
import { confusionFromRows } from '../metrics/confusion-matrix.ts';
import {
  type Corruption,
  imageConfusionsSchema,
  robustnessResultsSchema,
  robustnessSpecSchema,
  type RobustnessResults,
  type RobustnessSpec,
} from '../schemas/robustness.ts';

export interface RobustnessModel {
  runId: string;
  checkpoint: { id: string; name: string; arch: string };
  finishedAt: Date | null;
  spec: RobustnessSpec;
  results: RobustnessResults;
}

/**
 * The newest completed robustness run of each model on a dataset split (a model's later runs
 * supersede its earlier ones), plus the split's frames for the viewer and the robustness runs
 * still in progress.
 */
export async function getRobustnessPage({ datasetName, split }: { datasetName: string; split: string }) {
  const db = getDb();
  const dataset = await db.dataset.findUnique({ where: { name: datasetName }, select: { id: true, name: true, kind: true } });
  if (!dataset) return { dataset: null, models: [], images: [], pending: 0 };
  const where = { datasetId: dataset.id, split, robustness: { isNot: null } };
  const [runs, images, pending] = await Promise.all([
    db.evaluationRun.findMany({
      where: { ...where, status: 'completed' },
      orderBy: [{ finishedAt: 'desc' }, { id: 'desc' }],
      include: { checkpoint: { select: { id: true, name: true, arch: true } }, robustness: { select: { corruptions: true, severities: true, results: true } } },
    }),
    db.datasetImage.findMany({ where: { datasetId: dataset.id, split }, select: { id: true, key: true }, orderBy: { key: 'asc' } }),
    db.evaluationRun.count({ where: { ...where, status: { notIn: ['completed', 'failed', 'cancelled'] } } }),
  ]);
  const seen = new Set<string>();
  const models: RobustnessModel[] = [];
  for (const r of runs) {
    if (seen.has(r.checkpointId) || !r.robustness?.results) continue;
    seen.add(r.checkpointId);
    models.push({
      runId: r.id,
      checkpoint: r.checkpoint,
      finishedAt: r.finishedAt,
      spec: parseJson(robustnessSpecSchema, r.robustness, `run ${r.id} robustness`),
      results: parseJson(robustnessResultsSchema, r.robustness.results, `run ${r.id} robustness results`),
    });
  }
  models.sort((a, b) => (b.results.mpc.estimate ?? -1) - (a.results.mpc.estimate ?? -1));
  return { dataset, models, images, pending };
}

/** Per-image mIoU of one frame under one corruption × severity in each given run (null where the run did not score it). */
export async function getVariantImageMious(o: {
  runIds: string[];
  imageId: string;
  corruption: Corruption;
  severity: number;
}): Promise<Record<string, number | null>> {
  const db = getDb();
  const [stored, specs] = await Promise.all([
    db.robustnessImage.findMany({ where: { runId: { in: o.runIds }, imageId: o.imageId } }),
    db.robustnessRun.findMany({ where: { runId: { in: o.runIds } }, select: { runId: true, corruptions: true, severities: true } }),
  ]);
  const out: Record<string, number | null> = {};
  for (const runId of o.runIds) {
    const row = stored.find((r) => r.runId === runId);
    const spec = specs.find((s) => s.runId === runId);
    const s = spec ? parseJson(robustnessSpecSchema, spec, `run ${runId} robustness`).severities.indexOf(o.severity) : -1;
    const cm = row && s >= 0 ? parseJson(imageConfusionsSchema, row.confusions, `run ${runId} robustness of ${o.imageId}`)[o.corruption]?.[s] : undefined;
    const miou = cm ? computeMetrics(confusionFromRows(cm)).miou : Number.NaN;
    out[runId] = Number.isFinite(miou) ? miou : null;
  }
  return out;
}

/** A run's robustness results for the JSON API; the rows of its CSV (one per model × corruption × severity × class, 'all' = mIoU). */
export async function getRobustnessForApi(runId: string) {
  const run = await getDb().evaluationRun.findUnique({
    where: { id: runId },
    include: { checkpoint: { select: { id: true, name: true, arch: true } }, dataset: { select: { name: true } }, robustness: true },
  });
  if (!run) throw new AppError('NOT_FOUND', `run ${runId}`, 'No such run.');
  if (!run.robustness) throw new AppError('NOT_FOUND', `run ${runId} is not a robustness run`, 'That run is a plain evaluation, not a robustness run.');
  const spec = parseJson(robustnessSpecSchema, run.robustness, `run ${runId} robustness`);
  const results = run.robustness.results === null ? null : parseJson(robustnessResultsSchema, run.robustness.results, `run ${runId} robustness results`);
  return { runId, status: run.status, model: run.checkpoint, dataset: run.dataset.name, split: run.split, ...spec, results };
}

export function robustnessCsvRows(r: Awaited<ReturnType<typeof getRobustnessForApi>>): Record<string, unknown>[] {
  if (!r.results) return [];
  const base = { runId: r.runId, model: r.model.name, dataset: r.dataset, split: r.split };
  const row = (
    metric: string,
    corruption: string,
    severity: number | string,
    classId: number | 'all',
    iv: { estimate: number | null; low: number | null; high: number | null },
  ) => ({
    ...base,
    metric,
    corruption,
    severity,
    classId,
    className: classId === 'all' ? 'all' : CLASSES[classId].name,
    estimate: iv.estimate,
    low: iv.low,
    high: iv.high,
  });
  const res = r.results;
  return [
    row('miou', 'none', 0, 'all', res.clean.miou),
    ...res.clean.perClass.map((iv, k) => row('iou', 'none', 0, k, iv)),
    ...res.corruptions.flatMap((c) =>
      c.severities.flatMap((s) => [
        row('miou', c.corruption, s.severity, 'all', s.miou),
        ...s.perClass.map((iv, k) => row('iou', c.corruption, s.severity, k, iv)),
      ]),
    ),
    row('mpc', 'all', 'all', 'all', res.mpc),
    row('rpc', 'all', 'all', 'all', res.rpc),
    ...res.perClass.flatMap((c) => [row('mpc', 'all', 'all', c.classId, c.mpc), row('rpc', 'all', 'all', c.classId, c.rpc)]),
  ];
}

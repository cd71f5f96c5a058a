import type { z } from 'zod';
import { CLASSES } from '../../models/classes.ts';
import { getDb } from '../db/client.ts';
import { evaluationMetricsSchema } from '../schemas/evaluation.ts';
import { ignorePolicySchema, splitClassPixelsSchema, type IgnorePolicy } from '../schemas/dataset.ts';
import { parseJson } from '../schemas/common.ts';
import { latestCompletedRunIds } from './latest-runs.ts';
import { bootstrapBlockSize, type PairedComparison } from '../metrics/bootstrap.ts';
import { comparePair } from './compare-runs.ts';
import { UNFINISHED_EVALUATION_STATUSES } from '../run-status.ts';
import { runDisplayName, ttaSchema, type Tta } from '../inference/tta.ts';
import { runQualitySummarySchema } from '../schemas/quality.ts';
import { describeRecipe } from '../training/describe-recipe.ts';

export interface LeaderboardRow {
  rank: number;
  runId: string;
  checkpointId: string;
  name: string;
  arch: string;
  /** 'trained' | 'imported' | 'int8' | 'fp16' */
  source: string;
  /** Where an encoder network's encoder started ('nsfwjs' pretrained, 'random' the control); null for the others. */
  encoderInit: 'nsfwjs' | 'random' | null;
  /** Test-time augmentation of this row's run: a flip-averaged run is its own row, beside the plain one. */
  tta: Tta;
  /** Bytes of the model file (imports and variants). */
  fileBytes: number | null;
  /** For an int8/fp16 variant its fp32 parent, for a flip-averaged run the same checkpoint's plain run: the paired difference (this − parent) on the shared images. */
  parent: { checkpointId: string; name: string; runId: string | null; vs: PairedComparison | null } | null;
  miou: number | null;
  miouLow: number | null;
  miouHigh: number | null;
  pixelAccuracy: number | null;
  /** Safety-weighted error (mean cost per distance-weighted pixel) with its 95% CI, under the run's own cost matrix. */
  safetyError: number | null;
  safetyLow: number | null;
  safetyHigh: number | null;
  /** False when the run used an edited cost matrix: its error is not comparable to the default's. */
  safetyDefaultCost: boolean | null;
  meanImageMiou: number | null;
  params: number;
  gflops: number;
  latencyMs: number | null;
  backend: string | null;
  trainingSeconds: number | null;
  /** Trained in this installation (Runs form): its recipe and the training loop's own number, which is not this row's (other frames, training resolution). */
  trainedHere: { trainingRunId: string; recipe: string | null; epochs: number; selectionMiou: number | null } | null;
  images: number;
  finishedAt: Date | null;
  perClass: { classId: number; iou: number | null; low: number | null; high: number | null }[];
}

/** Two rows' paired bootstrap on their shared images: the difference is a − b. */
interface PairedRows {
  a: string;
  b: string;
  aName: string;
  bName: string;
  result: PairedComparison;
}

export interface Leaderboard {
  dataset: { id: string; name: string; kind: string; ignorePolicy: IgnorePolicy; classPixels: z.infer<typeof splitClassPixelsSchema> } | null;
  split: string;
  rows: LeaderboardRow[];
  comparisons: PairedRows[];
  /** What pretraining buys: each random-init control's pretrained counterpart (the best-ranked trained one of its architecture) − the control. */
  pretraining: PairedRows[];
  bootstrapUnit: string;
  pending: number;
}

export const LEADERBOARD_TARGETS = [
  { dataset: 'carla-drive', split: 'val', label: 'CARLA drive · val (80 frames)' },
  { dataset: 'carla-official', split: 'test', label: 'Official frames · test (4, other drive)' },
] as const;

/**
 * One row per checkpoint (and per test-time augmentation): its latest COMPLETED evaluation on the dataset split. Ranked by
 * mIoU. Adjacent ranks get a paired bootstrap on their shared images (cached: completed
 * runs never change).
 */
export async function getLeaderboard({ datasetName, split }: { datasetName: string; split: string }): Promise<Leaderboard> {
  const db = getDb();
  const row = await db.dataset.findUnique({
    where: { name: datasetName },
    select: { id: true, name: true, kind: true, ignorePolicy: true, classPixels: true },
  });
  const dataset = row && {
    ...row,
    ignorePolicy: parseJson(ignorePolicySchema, row.ignorePolicy, `dataset ${row.name} ignore policy`),
    classPixels: parseJson(splitClassPixelsSchema, row.classPixels, `dataset ${row.name} class pixels`),
  };
  if (!dataset) return { dataset: null, split, rows: [], comparisons: [], pretraining: [], bootstrapUnit: 'image', pending: 0 };
  const runs = await db.evaluationRun.findMany({
    where: { id: { in: await latestCompletedRunIds(dataset.id, split) } },
    include: {
      checkpoint: {
        include: {
          trainingRuns: { select: { id: true, wallSeconds: true, trainedHere: true, options: true, epochsTotal: true, bestValMiou: true }, take: 1 },
          parent: { select: { id: true, name: true } },
        },
      },
      classMetrics: { orderBy: { classId: 'asc' } },
      quality: { select: { summary: true } },
    },
  });
  const pending = await db.evaluationRun.count({ where: { datasetId: dataset.id, split, status: { in: UNFINISHED_EVALUATION_STATUSES } } });
  const latency = await db.prediction.groupBy({ by: ['runId'], where: { runId: { in: runs.map((r) => r.id) } }, _avg: { latencyMs: true } });
  const latencyBy = new Map(latency.map((l) => [l.runId, l._avg.latencyMs]));
  const rows: LeaderboardRow[] = runs
    .map((r) => {
      const m = r.metrics === null ? null : parseJson(evaluationMetricsSchema, r.metrics, `run ${r.id} metrics`);
      const tta = ttaSchema.parse(r.tta);
      const parentOf = tta !== 'none' ? r.checkpoint : r.checkpoint.parent;
      const safety = r.quality?.summary ? parseJson(runQualitySummarySchema, r.quality.summary, `run ${r.id} quality summary`).safety : null;
      return {
        rank: 0,
        runId: r.id,
        checkpointId: r.checkpointId,
        name: runDisplayName(r.checkpoint.name, tta),
        arch: r.checkpoint.arch,
        source: r.checkpoint.source,
        encoderInit: encoderInitOf(r.checkpoint.config),
        tta,
        fileBytes: r.checkpoint.fileBytes,
        parent: parentOf ? { checkpointId: parentOf.id, name: parentOf.name, runId: null as string | null, vs: null as PairedComparison | null } : null,
        miou: r.miou,
        miouLow: m?.miouLow ?? null,
        miouHigh: m?.miouHigh ?? null,
        pixelAccuracy: m?.pixelAccuracy ?? null,
        safetyError: safety?.error.estimate ?? null,
        safetyLow: safety?.error.low ?? null,
        safetyHigh: safety?.error.high ?? null,
        safetyDefaultCost: safety?.defaultCostMatrix ?? null,
        meanImageMiou: m?.meanImageMiou ?? null,
        params: r.checkpoint.params,
        gflops: r.checkpoint.gflops,
        latencyMs: latencyBy.get(r.id) ?? null,
        backend: r.backend,
        trainingSeconds: r.checkpoint.trainingRuns[0]?.wallSeconds ?? null,
        trainedHere: trainedHereOf(r.checkpoint.trainingRuns[0]),
        images: m?.images ?? r.totalImages,
        finishedAt: r.finishedAt,
        perClass: CLASSES.map((c) => {
          const cm = r.classMetrics.find((x) => x.classId === c.id);
          return { classId: c.id, iou: cm?.iou ?? null, low: cm?.iouLow ?? null, high: cm?.iouHigh ?? null };
        }),
      };
    })
    .sort((a, b) => (b.miou ?? -1) - (a.miou ?? -1));
  rows.forEach((r, i) => (r.rank = i + 1));
  const blockSize = bootstrapBlockSize(dataset.kind);
  for (const r of rows) {
    if (!r.parent) continue;
    r.parent.runId = rows.find((p) => p.checkpointId === r.parent!.checkpointId && p.tta === 'none')?.runId ?? null;
    if (r.parent.runId) r.parent.vs = await comparePair(r.runId, r.parent.runId, blockSize);
  }
  const comparisons = [];
  for (let i = 0; i + 1 < rows.length; i++) {
    const result = await comparePair(rows[i].runId, rows[i + 1].runId, blockSize);
    if (result) comparisons.push({ a: rows[i].runId, b: rows[i + 1].runId, aName: rows[i].name, bName: rows[i + 1].name, result });
  }
  const pretraining = [];
  for (const control of rows.filter((r) => r.tta === 'none' && r.encoderInit === 'random')) {
    // Rows are ranked: the first match is the best pretrained model of the control's architecture.
    const pretrained = rows.find((r) => r.tta === 'none' && r.source === 'trained' && r.arch === control.arch && r.encoderInit === 'nsfwjs');
    const result = pretrained && (await comparePair(pretrained.runId, control.runId, blockSize));
    if (pretrained && result) pretraining.push({ a: pretrained.runId, b: control.runId, aName: pretrained.name, bName: control.name, result });
  }
  return { dataset, split, rows, comparisons, pretraining, bootstrapUnit: blockSize > 1 ? `blocks of ${blockSize} consecutive frames` : 'images', pending };
}

/** A checkpoint config's `encoderInit` (models/backbones/encoder-config.ts), or null for a network without an encoder. */
function encoderInitOf(config: unknown): LeaderboardRow['encoderInit'] {
  const v = typeof config === 'object' && config !== null ? (config as Record<string, unknown>).encoderInit : undefined;
  return v === 'nsfwjs' || v === 'random' ? v : null;
}

function trainedHereOf(
  t: { id: string; trainedHere: boolean; options: unknown; epochsTotal: number; bestValMiou: number | null } | undefined,
): LeaderboardRow['trainedHere'] {
  return t?.trainedHere ? { trainingRunId: t.id, recipe: describeRecipe(t.options), epochs: t.epochsTotal, selectionMiou: t.bestValMiou } : null;
}

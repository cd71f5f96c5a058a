import { getDb, type DbTransaction } from '../db/client.ts';
import { parseJson } from '../schemas/common.ts';
import { groupIntoBlocks } from '../metrics/bootstrap.ts';
import { confusionFromRows, type ConfusionMatrix } from '../metrics/confusion-matrix.ts';
import { imageConfusionsSchema, robustnessResultsSchema, robustnessSpecSchema, type RobustnessResults } from '../schemas/robustness.ts';
import { computeRobustness, type IntervalValue } from './robustness-metrics.ts';

const nanToNull = (v: number) => (Number.isFinite(v) ? v : null);
const stored = (iv: IntervalValue) => ({ estimate: nanToNull(iv.estimate), low: nanToNull(iv.low), high: nanToNull(iv.high) });

/**
 * A robustness run's numbers at finalisation, from its stored per-frame confusions, with the
 * resampling units the clean numbers use (`blockSize` consecutive frames in `imageIds` order).
 * Null for a plain evaluation run. Throws when a frame's corrupted scores are missing: a run
 * is never completed with a partial robustness report.
 */
export async function summarizeRobustnessRun(o: {
  runId: string;
  imageIds: readonly string[];
  clean: readonly ConfusionMatrix[];
  blockSize: number;
  unit: string;
}): Promise<RobustnessResults | null> {
  const db = getDb();
  const row = await db.robustnessRun.findUnique({ where: { runId: o.runId }, include: { images: true } });
  if (!row) return null;
  const spec = parseJson(robustnessSpecSchema, row, `run ${o.runId} robustness`);
  const byImage = new Map(row.images.map((r) => [r.imageId, parseJson(imageConfusionsSchema, r.confusions, `run ${o.runId} robustness of ${r.imageId}`)]));
  const variants = spec.corruptions.flatMap((corruption) =>
    spec.severities.map((severity, s) => {
      const perImage = o.imageIds.map((id) => {
        const rows = byImage.get(id)?.[corruption]?.[s];
        if (!rows) throw new Error(`run ${o.runId}: image ${id} has no ${corruption} severity ${severity} score`);
        return confusionFromRows(rows);
      });
      return { corruption, severity, units: groupIntoBlocks(perImage, o.blockSize) };
    }),
  );
  const r = computeRobustness(groupIntoBlocks(o.clean, o.blockSize), variants);
  return parseJson(
    robustnessResultsSchema,
    {
      clean: { miou: stored(r.clean.miou), perClass: r.clean.perClass.map(stored) },
      corruptions: spec.corruptions.map((corruption) => ({
        corruption,
        severities: r.variants
          .filter((v) => v.corruption === corruption)
          .map((v) => ({ severity: v.severity, miou: stored(v.miou), perClass: v.perClass.map(stored) })),
      })),
      mpc: stored(r.mpc),
      rpc: stored(r.rpc),
      perClass: r.perClass.map((c) => ({ classId: c.classId, mpc: stored(c.mpc), rpc: stored(c.rpc) })),
      bootstrap: { resamples: r.resamples, seed: r.seed, confidence: r.confidence, unit: o.unit },
      images: o.imageIds.length,
    },
    `run ${o.runId} robustness results`,
  );
}

export async function saveRobustnessResults(tx: DbTransaction, runId: string, results: RobustnessResults | null): Promise<void> {
  if (results) await tx.robustnessRun.update({ where: { runId }, data: { results } });
}

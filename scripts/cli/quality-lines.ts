import { CLASSES } from '../../models/classes.ts';
import { runQualitySummarySchema } from '../../server/schemas/quality.ts';
import { parseJson, type StoredInterval } from '../../server/schemas/common.ts';

const pct = (v: number | null) => (v === null ? '—' : (v * 100).toFixed(1));
const withCi = (i: StoredInterval, f: (v: number | null) => string = pct) => `${f(i.estimate)} [${f(i.low)}, ${f(i.high)}]`;
const num = (v: number | null) => (v === null ? '—' : v.toFixed(3));

/** The metrics beyond mIoU of a finished run, a few indented lines for the eval command. */
export function qualityLines(summaryJson: unknown, runId: string): string[] {
  const s = parseJson(runQualitySummarySchema, summaryJson, `run ${runId} quality summary`);
  const lines = [
    `safety-weighted error ${withCi(s.safety.error, num)} (unweighted ${num(s.safety.unweightedError)}; ${s.safety.defaultCostMatrix ? 'default' : 'custom'} cost matrix)`,
  ];
  lines.push(
    s.calibration.available
      ? `calibration: ECE ${withCi(s.calibration.ece)} %; mIoU at 80% coverage ${pct(coverageAt(s.calibration.coverage, 0.8))}`
      : `calibration: ${s.calibration.reason}`,
  );
  lines.push(
    s.temporal.available
      ? `flicker ${withCi(s.temporal.flicker)} % of stable pixels per frame pair (ground truth changes ${pct(s.temporal.gtChange.estimate)} %; ${s.temporal.pairs} pairs)`
      : `flicker: ${s.temporal.reason}`,
  );
  const worst = s.temporal.available ? (s.temporal.segments?.filter((g) => g.classId === null) ?? []) : [];
  if (worst.length)
    lines.push(
      `worst flickering segments: ${worst.map((g) => `${g.frames[0].key}–${g.frames.at(-1)!.key} ${pct(g.flicker)} % (truth ${pct(g.gtChange)} %)`).join('; ')}`,
    );
  lines.push(s.boundary.available ? `boundary IoU (band ${s.boundary.bandPx} px) ${withCi(s.boundary.mean)}` : `boundary IoU: ${s.boundary.reason}`);
  const small = s.smallObjects.classes.map(
    (k, i) => `${CLASSES[k].name} ${s.smallObjects.recall[i].map((r) => (r.objects ? pct(r.estimate) : '—')).join('/')}`,
  );
  lines.push(`small-object recall by size (${s.smallObjects.buckets.join(', ')}): ${small.join('; ')}`);
  return lines.map((l) => `    ${l}`);
}

/** mIoU at the highest threshold that still keeps at least `coverage` of the pixels. */
function coverageAt(curve: readonly { coverage: number | null; miou: number | null }[], coverage: number): number | null {
  let best: number | null = null;
  for (const p of curve) if (p.coverage !== null && p.coverage >= coverage) best = p.miou;
  return best;
}

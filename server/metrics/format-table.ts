import { CLASSES } from '../../models/classes.ts';
import type { SegmentationMetrics } from './class-metrics.ts';

const pct = (v: number) => (Number.isNaN(v) ? '   n/a' : (v * 100).toFixed(2).padStart(6));

/** Plain-text per-class table (the CLI's `score` output). */
export function formatMetricsTable(m: SegmentationMetrics): string {
  const lines = [
    `${'id'.padStart(2)}  ${'class'.padEnd(13)} ${'IoU'.padStart(6)} ${'prec'.padStart(6)} ${'recall'.padStart(6)} ${'dice'.padStart(6)} ${'support'.padStart(11)}`,
  ];
  for (const c of m.perClass) {
    lines.push(
      `${String(c.classId).padStart(2)}  ${(CLASSES[c.classId]?.name ?? `class ${c.classId}`).padEnd(13)} ${pct(c.iou)} ${pct(c.precision)} ${pct(c.recall)} ${pct(c.dice)} ${String(c.support).padStart(11)}`,
    );
  }
  lines.push('');
  lines.push(`mIoU ${pct(m.miou)} (mean over ${m.classesCounted} classes present in truth or prediction; n/a = absent from both)`);
  lines.push(`pixel accuracy ${pct(m.pixelAccuracy)} · frequency-weighted IoU ${pct(m.fwIou)}`);
  return lines.join('\n');
}

import { getDb } from '../../server/db/client.ts';
import { parseJson, type StoredInterval } from '../../server/schemas/common.ts';

import { robustnessResultsSchema, robustnessSpecSchema, type RobustnessSpec, CORRUPTIONS } from '../../server/schemas/robustness.ts';
import { UsageError } from './args.ts';

/** `--robustness [--corruptions a,b] [--severities 1,3]` → the run's spec; undefined without `--robustness`. */
export function parseRobustnessFlags(flags: Record<string, string | boolean>): RobustnessSpec | undefined {
  if (!flags.robustness) {
    if (flags.corruptions !== undefined || flags.severities !== undefined) throw new UsageError('--corruptions and --severities need --robustness');
    return undefined;
  }
  const list = (v: string | boolean | undefined) => (typeof v === 'string' ? v.split(',').map((x) => x.trim()) : undefined);
  const corruptions = list(flags.corruptions);
  const unknown = corruptions?.find((c) => !(CORRUPTIONS as readonly string[]).includes(c));
  if (unknown !== undefined) throw new UsageError(`unknown corruption "${unknown}" (known: ${CORRUPTIONS.join(', ')})`);
  const severities = list(flags.severities)?.map(Number);
  const r = robustnessSpecSchema.safeParse({ corruptions, severities });
  if (!r.success)
    throw new UsageError(
      `--corruptions/--severities: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')} (severities are integers 1..5, increasing)`,
    );
  return r.data;
}

const pts = (v: number | null) => (v === null ? '—' : (v * 100).toFixed(1));
const ci = (iv: StoredInterval) => `${pts(iv.estimate)} [${pts(iv.low)}, ${pts(iv.high)}]`;
const ratio = (iv: StoredInterval) => (iv.estimate === null ? '—' : `${iv.estimate.toFixed(3)} [${iv.low?.toFixed(3)}, ${iv.high?.toFixed(3)}]`);

/** Each finished robustness run: mPC and rPC with CIs, then mIoU per corruption × severity. */
export async function printRobustness(runs: { runId: string; name: string }[]): Promise<void> {
  const rows = await getDb().robustnessRun.findMany({ where: { runId: { in: runs.map((r) => r.runId) } } });
  for (const run of runs) {
    const row = rows.find((r) => r.runId === run.runId);
    if (!row?.results) continue;
    const res = parseJson(robustnessResultsSchema, row.results, `run ${run.runId} robustness`);
    console.log(
      `\n${run.name}: clean mIoU ${ci(res.clean.miou)}  mPC ${ci(res.mpc)}  rPC ${ratio(res.rpc)}  (${res.images} frames, 95% CI by ${res.bootstrap.unit})`,
    );
    const severities = res.corruptions[0].severities.map((s) => s.severity);
    console.log(`  ${'corruption'.padEnd(16)}${severities.map((s) => `severity ${s}`.padEnd(20)).join('')}`);
    for (const c of res.corruptions) console.log(`  ${c.corruption.padEnd(16)}${c.severities.map((s) => ci(s.miou).padEnd(20)).join('')}`);
  }
}

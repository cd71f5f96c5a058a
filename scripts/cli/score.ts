import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeLabel } from '../../server/dataset/decode.ts';
import { applyIgnoreMask, computeHoodMask } from '../../server/dataset/hood-mask.ts';
import { findPairs } from '../../server/dataset/find-pairs.ts';
import { computeMetrics } from '../../server/metrics/class-metrics.ts';
import { accumulateConfusion, confusionToRows, emptyConfusion } from '../../server/metrics/confusion-matrix.ts';
import { formatMetricsTable } from '../../server/metrics/format-table.ts';
import { parseArgs, UsageError } from './args.ts';
import { ProgressBar } from './progress.ts';

export const SCORE_USAGE = 'score --gt <dataset dir or CameraSeg dir> --pred <dir of label PNGs> [--keep-hood] [--json]';

/**
 * Scores any folder of predicted label PNGs (class id in the red channel, or single
 * channel; matched to ground truth by file stem) with PixelDrive's metric: one summed
 * confusion matrix, hood ignored unless --keep-hood.
 */
export async function scoreCommand(argv: string[]): Promise<void> {
  const { flags } = parseArgs(argv, { gt: 'string', pred: 'string', 'keep-hood': 'boolean', json: 'boolean' });
  if (typeof flags.gt !== 'string' || typeof flags.pred !== 'string') throw new UsageError('--gt and --pred are required');
  const gtFiles = await groundTruthFiles(path.resolve(flags.gt));
  const predDir = path.resolve(flags.pred);
  const predByStem = new Map((await readdir(predDir)).filter((f) => f.toLowerCase().endsWith('.png')).map((f) => [f.slice(0, -4), path.join(predDir, f)]));
  const missing = gtFiles.filter((g) => !predByStem.has(g.stem));
  if (missing.length) throw new UsageError(`${missing.length} ground-truth frame(s) have no prediction in ${predDir}, e.g. ${missing[0].stem}.png`);
  const bar = new ProgressBar('score', gtFiles.length * 2);
  const gts = [];
  for (const [i, g] of gtFiles.entries()) {
    gts.push(await decodeLabel(await readFile(g.path), g.path));
    bar.update(i + 1);
  }
  const keepHood = Boolean(flags['keep-hood']);
  const sizes = new Set(gts.map((g) => `${g.width}x${g.height}`));
  const hood = !keepHood && sizes.size === 1 ? computeHoodMask(gts) : null;
  const cm = emptyConfusion();
  for (const [i, g] of gtFiles.entries()) {
    const file = predByStem.get(g.stem)!;
    const pred = await decodeLabel(await readFile(file), file);
    const gt = applyIgnoreMask(gts[i], hood);
    if (pred.width !== gt.width || pred.height !== gt.height) {
      throw new UsageError(`${file}: prediction is ${pred.width}x${pred.height}, ground truth ${gt.width}x${gt.height}`);
    }
    accumulateConfusion(cm, gt.data, pred.data);
    bar.update(gtFiles.length + i + 1);
  }
  const m = computeMetrics(cm);
  if (flags.json) {
    const nan = (v: number) => (Number.isNaN(v) ? null : v);
    console.log(
      JSON.stringify(
        {
          images: gtFiles.length,
          hood: keepHood ? 'keep' : 'ignore',
          miou: nan(m.miou),
          pixelAccuracy: nan(m.pixelAccuracy),
          fwIou: nan(m.fwIou),
          perClass: m.perClass.map((c) => ({ ...c, iou: nan(c.iou), precision: nan(c.precision), recall: nan(c.recall), dice: nan(c.dice) })),
          confusion: confusionToRows(cm),
        },
        null,
        1,
      ),
    );
    return;
  }
  console.log(`${gtFiles.length} images · hood ${keepHood ? 'kept' : 'ignored'} · dataset-level confusion matrix\n`);
  console.log(formatMetricsTable(m));
}

async function groundTruthFiles(dir: string): Promise<{ stem: string; path: string }[]> {
  try {
    return (await findPairs(dir)).map((p) => ({ stem: p.stem, path: p.labelPath }));
  } catch {
    const files = (await readdir(dir)).filter((f) => f.toLowerCase().endsWith('.png')).sort();
    if (!files.length) throw new UsageError(`${dir}: no label PNGs`);
    return files.map((f) => ({ stem: f.slice(0, -4), path: path.join(dir, f) }));
  }
}

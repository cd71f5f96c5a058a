import path from 'node:path';
import { CLASSES } from '../../models/classes.ts';
import { importDataset } from '../../server/dataset/import-dataset.ts';
import { scanDataset } from '../../server/dataset/read-dataset.ts';
import { SPLITS, LABEL_PALETTES, type LabelPalette } from '../../server/schemas/dataset.ts';
import { toFrequencies } from '../../server/dataset/class-frequencies.ts';
import { summarizeScan } from '../../server/dataset/dataset-summary.ts';
import { parseArgs, UsageError } from './args.ts';
import { withCliDatabase } from './database.ts';
import { ProgressBar } from './progress.ts';

export const DATA_USAGE = `data check <dir> [--keep-hood] [--heldout] [--palette carla] [--json]
  data import <dir> --name <name> [--heldout] [--keep-hood] [--palette carla]`;

/** Frames with 255 pixels listed by name in the text report (all of them are in --json). */
const VOID_FRAMES_SHOWN = 10;

export async function dataCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const { flags, positional } = parseArgs(rest, { name: 'string', heldout: 'boolean', 'keep-hood': 'boolean', json: 'boolean', palette: 'string' });
  const dir = positional[0];
  if (!dir) throw new UsageError('a dataset folder is required');
  const policy = { ignoreIndex: 255 as const, hood: flags['keep-hood'] ? ('keep' as const) : ('ignore' as const), hoodThreshold: 0.95 };
  const palette = paletteFlag(flags.palette);
  // One bar per phase, so each phase's ETA is its own.
  const bars = new Map<string, ProgressBar>();
  const onProgress = (done: number, total: number, phase: string) => {
    const bar = bars.get(phase) ?? new ProgressBar(phase, total);
    bars.set(phase, bar);
    bar.update(done, '', total);
  };
  if (sub === 'check') {
    const ds = await scanDataset(path.resolve(dir), { policy, palette, split: flags.heldout ? 'all-test' : undefined, onProgress });
    const summary = summarizeScan(ds);
    const voidFrames = ds.frames.filter((f) => f.voidPixels > 0).map((f) => ({ key: f.key, split: f.split, voidPixels: f.voidPixels }));
    if (flags.json) {
      console.log(JSON.stringify({ ...summary, voidFrames }, null, 1));
      return;
    }
    const splits = SPLITS.filter((s) => summary.splitFrames[s] > 0);
    const all = summary.classPixels.train.map((_, k) => splits.reduce((a, s) => a + summary.classPixels[s][k], 0));
    const freq = toFrequencies(all);
    console.log(`${summary.frames} frames OK · ${splits.map((s) => `${s} ${summary.splitFrames[s]}`).join(' · ')} · split ${summary.splitFingerprint}`);
    console.log(
      `label forms: ${Object.entries(summary.labelForms)
        .map(([form, n]) => `${form} ${n}`)
        .join(', ')}${palette ? ` (palette ${palette})` : ''}`,
    );
    console.log(
      `ignore policy: index 255; hood ${policy.hood}${policy.hood === 'ignore' ? ` (${summary.hoodPixels} px per frame labelled Car in >= ${policy.hoodThreshold * 100}% of frames)` : ''}`,
    );
    console.log(`255 (ignore) pixels: ${splits.map((s) => `${s} ${summary.voidPixels[s]}`).join(' · ')} in ${voidFrames.length} frames`);
    for (const f of voidFrames.slice(0, VOID_FRAMES_SHOWN)) console.log(`  ${f.key} (${f.split}): ${f.voidPixels}`);
    if (voidFrames.length > VOID_FRAMES_SHOWN) console.log(`  … ${voidFrames.length - VOID_FRAMES_SHOWN} more (--json lists every frame)`);
    console.log(
      `\n${'id'.padStart(2)}  ${'class'.padEnd(13)} ${'pixels'.padStart(12)} ${'share'.padStart(8)}  ${splits.map((s) => `${s} share`.padStart(12)).join('')}`,
    );
    for (const c of CLASSES) {
      const per = splits.map((s) => toFrequencies(summary.classPixels[s])[c.id]);
      console.log(
        `${String(c.id).padStart(2)}  ${c.name.padEnd(13)} ${String(all[c.id]).padStart(12)} ${(freq[c.id] * 100).toFixed(3).padStart(7)}%  ${per.map((f) => `${(f * 100).toFixed(3)}%`.padStart(12)).join('')}`,
      );
    }
    return;
  }
  if (sub === 'import') {
    if (typeof flags.name !== 'string' || !/^[a-z0-9][a-z0-9-_]{0,62}$/i.test(flags.name))
      throw new UsageError('--name is required (letters, digits, - and _)');
    await withCliDatabase(async () => {
      const r = await importDataset({
        root: path.resolve(dir),
        name: flags.name as string,
        kind: flags.heldout ? 'heldout' : 'drive',
        policy,
        palette,
        onProgress,
      });
      console.log(
        r.created ? `registered ${flags.name}: ${r.images} frames (id ${r.id})` : `already registered (same content): id ${r.id}, ${r.images} frames`,
      );
    });
    return;
  }
  throw new UsageError(`unknown data subcommand "${sub ?? ''}"`);
}

function paletteFlag(v: string | boolean | undefined): LabelPalette | null {
  if (v === undefined) return null;
  const known: readonly string[] = LABEL_PALETTES;
  if (typeof v !== 'string' || !known.includes(v)) throw new UsageError(`--palette must be one of ${LABEL_PALETTES.join(', ')}, got "${String(v)}"`);
  return v as LabelPalette;
}

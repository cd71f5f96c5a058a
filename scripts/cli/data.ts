import path from 'node:path';
import { CLASSES } from '../../models/classes.ts';
import { importDataset } from '../../server/dataset/import-dataset.ts';
import { scanDataset } from '../../server/dataset/read-dataset.ts';
import { SPLITS } from '../../server/dataset/split.ts';
import { toFrequencies } from '../../server/dataset/class-frequencies.ts';
import { parseArgs, UsageError } from './args.ts';
import { withCliDatabase } from './database.ts';
import { ProgressBar } from './progress.ts';

export const DATA_USAGE = `data check <dir> [--keep-hood] [--json]
  data import <dir> --name <name> [--heldout] [--keep-hood]`;

export async function dataCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  const { flags, positional } = parseArgs(rest, { name: 'string', heldout: 'boolean', 'keep-hood': 'boolean', json: 'boolean' });
  const dir = positional[0];
  if (!dir) throw new UsageError('a dataset folder is required');
  const policy = { ignoreIndex: 255 as const, hood: flags['keep-hood'] ? ('keep' as const) : ('ignore' as const), hoodThreshold: 0.95 };
  if (sub === 'check') {
    const bar = new ProgressBar('check', 1);
    const ds = await scanDataset(path.resolve(dir), { policy, split: flags.heldout ? 'all-test' : undefined, onProgress: (d, t) => bar.update(d, '', t) });
    if (flags.json) {
      console.log(JSON.stringify({ frames: ds.frames.length, splitFingerprint: ds.splitFingerprint, policy: ds.policy, classPixels: ds.classPixels }, null, 1));
      return;
    }
    const splits = SPLITS.filter((s) => ds.frames.some((f) => f.split === s));
    const all = ds.classPixels.train.map((_, k) => splits.reduce((a, s) => a + ds.classPixels[s][k], 0));
    const freq = toFrequencies(all);
    const hood = [...ds.hoodMasks.values()].reduce((s, m) => s + (m ? m.reduce((a, b) => a + b, 0) : 0), 0);
    console.log(`${ds.frames.length} frames OK · ${splits.map((s) => `${s} ${ds.frames.filter((f) => f.split === s).length}`).join(' · ')} · split ${ds.splitFingerprint}`);
    console.log(`ignore policy: index 255; hood ${ds.policy.hood}${ds.policy.hood === 'ignore' ? ` (${hood} px per frame labelled Car in >= ${ds.policy.hoodThreshold * 100}% of frames)` : ''}\n`);
    console.log(`${'id'.padStart(2)}  ${'class'.padEnd(13)} ${'pixels'.padStart(12)} ${'share'.padStart(8)}  ${splits.map((s) => `${s} share`.padStart(12)).join('')}`);
    for (const c of CLASSES) {
      const per = splits.map((s) => toFrequencies(ds.classPixels[s])[c.id]);
      console.log(`${String(c.id).padStart(2)}  ${c.name.padEnd(13)} ${String(all[c.id]).padStart(12)} ${(freq[c.id] * 100).toFixed(3).padStart(7)}%  ${per.map((f) => `${(f * 100).toFixed(3)}%`.padStart(12)).join('')}`);
    }
    return;
  }
  if (sub === 'import') {
    if (typeof flags.name !== 'string' || !/^[a-z0-9][a-z0-9-_]{0,62}$/i.test(flags.name)) throw new UsageError('--name is required (letters, digits, - and _)');
    await withCliDatabase(async () => {
      const bar = new ProgressBar('import', 1);
      const r = await importDataset({ root: path.resolve(dir), name: flags.name as string, kind: flags.heldout ? 'heldout' : 'drive', policy, onProgress: (d, t) => bar.update(d, '', t) });
      console.log(r.created ? `registered ${flags.name}: ${r.images} frames (id ${r.id})` : `already registered (same content): id ${r.id}, ${r.images} frames`);
    });
    return;
  }
  throw new UsageError(`unknown data subcommand "${sub ?? ''}"`);
}

import path from 'node:path';
import { ARCHITECTURES, ARCH_CHOICES } from '../../models/config.ts';
import { describeCheckpointFolders } from '../../models/checkpoint-folders.ts';
import { config } from '../../server/config.ts';
import { exportOnnx } from '../../server/inference/export-onnx.ts';
import { parseArgs, UsageError } from './args.ts';

export const EXPORT_USAGE = `export-onnx --arch ${ARCH_CHOICES}|all [--checkpoint DIR] [--force]`;

export async function exportOnnxCommand(argv: string[]): Promise<void> {
  const { flags } = parseArgs(argv, { arch: 'string', checkpoint: 'string', force: 'boolean' });
  const arch = String(flags.arch ?? '');
  if (arch !== 'all' && !(ARCHITECTURES as readonly string[]).includes(arch)) throw new UsageError(`--arch must be ${ARCHITECTURES.join(', ')} or all`);
  // Every shipped folder of that architecture (or all of them): a random-init control is a folder of its own.
  const dirs =
    typeof flags.checkpoint === 'string'
      ? [path.resolve(flags.checkpoint)]
      : (await describeCheckpointFolders(config.checkpointsDir)).filter((c) => arch === 'all' || c.arch === arch).map((c) => c.dir);
  if (!dirs.length)
    throw new UsageError(`no finished checkpoint of ${arch} in ${path.relative(process.cwd(), config.checkpointsDir)} (model.json and card.json)`);
  for (const dir of dirs) {
    const r = await exportOnnx(dir, { force: Boolean(flags.force) });
    console.log(`${r.exported ? 'exported' : 'up to date'}: ${path.relative(process.cwd(), r.file)} (weights ${r.weightsSha256.slice(0, 12)})`);
  }
}

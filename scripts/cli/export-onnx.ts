import path from 'node:path';
import { ARCHITECTURES, ARCH_CHOICES } from '../../models/config.ts';
import { config } from '../../server/config.ts';
import { exportOnnx } from '../../server/inference/export-onnx.ts';
import { parseArgs, UsageError } from './args.ts';
import { shippedArchitectures } from '../../server/checkpoints/shipped-architectures.ts';

export const EXPORT_USAGE = `export-onnx --arch ${ARCH_CHOICES}|all [--checkpoint DIR] [--force]`;

export async function exportOnnxCommand(argv: string[]): Promise<void> {
  const { flags } = parseArgs(argv, { arch: 'string', checkpoint: 'string', force: 'boolean' });
  const arch = String(flags.arch ?? '');
  if (arch !== 'all' && !(ARCHITECTURES as readonly string[]).includes(arch)) throw new UsageError(`--arch must be ${ARCHITECTURES.join(', ')} or all`);
  const dirs =
    typeof flags.checkpoint === 'string'
      ? [path.resolve(flags.checkpoint)]
      : (arch === 'all' ? shippedArchitectures() : [arch]).map((a) => path.join(config.checkpointsDir, a));
  for (const dir of dirs) {
    const r = await exportOnnx(dir, { force: Boolean(flags.force) });
    console.log(`${r.exported ? 'exported' : 'up to date'}: ${path.relative(process.cwd(), r.file)} (weights ${r.weightsSha256.slice(0, 12)})`);
  }
}

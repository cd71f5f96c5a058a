import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { config } from '../../server/config.ts';
import { AppError } from '../../server/errors.ts';
import { importOnnxModel } from '../../server/onnx-import/import-onnx-model.ts';
import { parseArgs, UsageError } from './args.ts';
import { withCliDatabase } from './database.ts';

export const MODELS_USAGE = 'models import <model.onnx> --adapter <adapter.json> --name <name>';

/** Registers an ONNX segmentation model: validated, dry-run, stored by content hash, then evaluable like any checkpoint. */
export async function modelsCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub !== 'import') throw new UsageError(sub ? `unknown models subcommand "${sub}"` : 'models needs a subcommand');
  const { flags, positional } = parseArgs(rest, { adapter: 'string', name: 'string' });
  if (positional.length !== 1) throw new UsageError('give exactly one ONNX file');
  if (typeof flags.adapter !== 'string') throw new UsageError('--adapter <adapter.json> is required');
  if (typeof flags.name !== 'string') throw new UsageError('--name <name> is required');
  const file = path.resolve(positional[0]);
  // Refuse an oversized file before reading it into memory.
  const size = (
    await stat(file).catch(() => {
      throw new AppError('NOT_FOUND', `${file}: no such file`, `${positional[0]}: no such file`);
    })
  ).size;
  if (size > config.maxModelBytes) {
    const why = `${positional[0]} is ${(size / 1024 / 1024).toFixed(1)} MB, over the ${(config.maxModelBytes / 1024 / 1024).toFixed(0)} MB limit (PIXELDRIVE_MAX_MODEL_MB)`;
    throw new AppError('TOO_LARGE', why, why);
  }
  const bytes = new Uint8Array(await readFile(file));
  const adapter = await readFile(path.resolve(flags.adapter), 'utf8').catch(() => {
    throw new AppError('NOT_FOUND', `${flags.adapter}: no such adapter file`, `${flags.adapter}: no such adapter file`);
  });
  await withCliDatabase(async () => {
    const r = await importOnnxModel({ bytes, adapter, name: flags.name as string, fileName: path.basename(file) });
    console.log(`${r.created ? 'imported' : 'already imported'}: "${r.name}" (id ${r.id})`);
    console.log(`  ${r.params.toLocaleString('en')} params · ${r.gflops.toFixed(3)} GFLOP at ${r.inputSize} · ${(r.fileBytes / 1024).toFixed(1)} KiB`);
    console.log(r.unmapped.length ? `  ${r.unmapped.length} model class(es) unmapped, ignored: ${r.unmapped.join(', ')}` : '  every model class is mapped');
    console.log(`  evaluate: Runs page, or npm run cli -- eval --model "${r.name}" --split val`);
  });
}

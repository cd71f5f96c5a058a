import path from 'node:path';
import { ARCHITECTURES, ARCH_CHOICES } from '../../models/config.ts';
import { describeCheckpointFolders } from '../../models/checkpoint-folders.ts';
import { config } from '../../server/config.ts';
import { writeOfficialScore } from '../../server/training/score-official.ts';
import { parseArgs, UsageError } from './args.ts';

export const CARD_USAGE = `card --arch ${ARCH_CHOICES}|all [--official DIR]   (adds the official-frame mIoU to the card of each shipped checkpoint of that architecture, or of every one)`;

export async function cardCommand(argv: string[]): Promise<void> {
  const { flags } = parseArgs(argv, { arch: 'string', official: 'string' });
  const arch = String(flags.arch ?? '');
  if (arch !== 'all' && !(ARCHITECTURES as readonly string[]).includes(arch)) throw new UsageError(`--arch must be ${ARCHITECTURES.join(', ')} or all`);
  const official = path.resolve(String(flags.official ?? path.join(config.dataDir, 'carla-official')));
  // Every shipped folder, not one per architecture: a random-init control is a folder of its own.
  const shipped = (await describeCheckpointFolders(config.checkpointsDir)).filter((c) => arch === 'all' || c.arch === arch);
  if (!shipped.length)
    throw new UsageError(`no finished checkpoint of ${arch} in ${path.relative(process.cwd(), config.checkpointsDir)} (model.json and card.json)`);
  for (const c of shipped) {
    const miou = await writeOfficialScore(c.dir, official);
    console.log(`${c.name.padEnd(34)} official-frame mIoU ${(miou * 100).toFixed(1)} → ${path.relative(process.cwd(), path.join(c.dir, 'card.json'))}`);
  }
}

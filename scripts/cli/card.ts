import path from 'node:path';
import { ARCHITECTURES, ARCH_LABEL, ARCH_CHOICES } from '../../models/config.ts';
import { config } from '../../server/config.ts';
import { writeOfficialScore } from '../../server/training/score-official.ts';
import { parseArgs, UsageError } from './args.ts';
import { shippedArchitectures } from '../../server/checkpoints/shipped-architectures.ts';

export const CARD_USAGE = `card --arch ${ARCH_CHOICES}|all [--official DIR]   (adds the official-frame mIoU to each model card)`;

export async function cardCommand(argv: string[]): Promise<void> {
  const { flags } = parseArgs(argv, { arch: 'string', official: 'string' });
  const arch = String(flags.arch ?? '');
  if (arch !== 'all' && !(ARCHITECTURES as readonly string[]).includes(arch)) throw new UsageError(`--arch must be ${ARCHITECTURES.join(', ')} or all`);
  const official = path.resolve(String(flags.official ?? path.join(config.dataDir, 'carla-official')));
  for (const a of arch === 'all' ? shippedArchitectures() : [arch as (typeof ARCHITECTURES)[number]]) {
    const miou = await writeOfficialScore(path.join(config.checkpointsDir, a), official);
    console.log(`${ARCH_LABEL[a].padEnd(11)} official-frame mIoU ${(miou * 100).toFixed(1)} → card.json`);
  }
}

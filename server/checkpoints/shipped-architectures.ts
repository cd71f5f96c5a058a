import { existsSync } from 'node:fs';
import path from 'node:path';
import { ARCHITECTURES, type Architecture } from '../../models/config.ts';
import { config } from '../config.ts';

/** The architectures with a checkpoint in the shipped folder (`models/checkpoints/<arch>`): what `--arch all` means. */
export function shippedArchitectures(dir = config.checkpointsDir): Architecture[] {
  return ARCHITECTURES.filter((a) => existsSync(path.join(dir, a, 'model.json')));
}

import { existsSync } from 'node:fs';
import path from 'node:path';
import { ARCHITECTURES, type Architecture } from '../../models/config.ts';
import { config } from '../config.ts';

/**
 * The architectures with a checkpoint in a folder of their own name (`models/checkpoints/<arch>`, the fp32
 * parent `createVariants` reads): what `quantize --arch all` makes variants of. Other commands take every
 * shipped folder (models/checkpoint-folders.ts), a random-init control's included.
 */
export function shippedArchitectures(dir = config.checkpointsDir): Architecture[] {
  return ARCHITECTURES.filter((a) => existsSync(path.join(dir, a, 'model.json')));
}

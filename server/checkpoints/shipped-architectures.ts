import path from 'node:path';
import { finishedCheckpointFolders } from '../../models/checkpoint-folders.ts';
import { ARCHITECTURES, type Architecture } from '../../models/config.ts';
import { config } from '../config.ts';

/** The architectures with a finished checkpoint in their own shipped folder (`models/checkpoints/<arch>`): what `quantize --arch all` works on. */
export function shippedArchitectures(dir = config.checkpointsDir): Architecture[] {
  const folders = new Set(finishedCheckpointFolders(dir).map((f) => path.basename(f)));
  return ARCHITECTURES.filter((a) => folders.has(a));
}

import path from 'node:path';
import { newestCheckpointPerNetwork } from '../checkpoints/list-checkpoints.ts';
import { getDb } from '../db/client.ts';
import { getSegmenter } from './segmenter.ts';

/** Loads (and exports to ONNX if needed) the newest checkpoint of each network and runs one frame through it. */
export async function warmSegmenters(): Promise<string[]> {
  const ids = (await newestCheckpointPerNetwork()).map((c) => c.id);
  const cks = await getDb().checkpoint.findMany({ where: { id: { in: ids } } });
  const warmed: string[] = [];
  for (const ck of cks) {
    const s = await getSegmenter(path.resolve(ck.dir));
    const { width, height } = s.inputSize;
    await s.segment({ width, height, data: new Uint8Array(width * height * 3) });
    warmed.push(`${ck.name}: ${s.backend}`);
  }
  return warmed;
}

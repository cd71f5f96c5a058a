import type { Architecture } from '../../models/config.ts';
import { getDb } from '../db/client.ts';

export interface CheckpointSummary {
  id: string;
  arch: string;
  name: string;
}

/**
 * The newest registered checkpoint of each architecture ("all three models"), or of one
 * architecture. A retrained model is registered as a new row next to the old one, so
 * "newest" is what a user means by "the U-Net". Only trained checkpoints: imported models and
 * int8/fp16 variants are picked by id.
 */
export async function newestCheckpointPerArch({ arch }: { arch?: Architecture } = {}): Promise<CheckpointSummary[]> {
  const rows = await getDb().checkpoint.findMany({
    where: { source: 'trained', ...(arch ? { arch } : {}) },
    // id breaks ties between checkpoints registered in the same millisecond.
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { id: true, arch: true, name: true },
  });
  const newest = new Map<string, CheckpointSummary>();
  for (const r of rows) if (!newest.has(r.arch)) newest.set(r.arch, r);
  return [...newest.values()];
}

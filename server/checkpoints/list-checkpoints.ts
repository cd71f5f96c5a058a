import { architectureSchema, type Architecture } from '../../models/config.ts';
import { modelName, validateConfig } from '../../models/validate-config.ts';
import { getDb } from '../db/client.ts';

interface CheckpointSummary {
  id: string;
  arch: string;
  name: string;
}

/**
 * The newest registered checkpoint of each network ("all models"), or of each network of one
 * architecture. A network is what `modelName` names: the architecture, and for an encoder that can
 * start pretrained, where it started — so the random-init control is picked beside the pretrained
 * model of its architecture, not instead of it. A retrained model is registered as a new row next
 * to the old one, so "newest" is what a user means by "the U-Net". Only trained checkpoints:
 * imported models and int8/fp16 variants are picked by id.
 */
export async function newestCheckpointPerNetwork({ arch }: { arch?: Architecture } = {}): Promise<CheckpointSummary[]> {
  const rows = await getDb().checkpoint.findMany({
    where: { source: 'trained', ...(arch ? { arch } : {}) },
    // id breaks ties between checkpoints registered in the same millisecond.
    orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
    select: { id: true, arch: true, name: true, config: true },
  });
  const newest = new Map<string, CheckpointSummary>();
  for (const { config, ...r } of rows) {
    const network = modelName(validateConfig(architectureSchema.parse(r.arch), config));
    if (!newest.has(network)) newest.set(network, r);
  }
  return [...newest.values()];
}

import { createHash } from 'node:crypto';
import type { SplitName } from '../schemas/dataset.ts';

export interface SplitOptions {
  /** Consecutive frames per block (one drive at ~10 fps: 40 frames is about 4 s). */
  blockSize: number;
  /** Every `valEvery`-th block (the last of each group) goes to validation. */
  valEvery: number;
}

export const DEFAULT_SPLIT: SplitOptions = { blockSize: 40, valEvery: 5 };

export interface SplitFrame {
  key: string;
  subset: string;
}

/**
 * Leakage-safe split. For one drive (a single subset): frames sorted by name, cut into
 * contiguous blocks, every `valEvery`-th block to validation, so near-duplicate
 * neighbours never straddle train and val except at block edges. For several subsets
 * (the official layout): whole subsets, every `valEvery`-th one to validation.
 * Deterministic: no randomness, same input → same split and fingerprint.
 */
export function assignSplits(frames: readonly SplitFrame[], opts: SplitOptions = DEFAULT_SPLIT): Map<string, SplitName> {
  if (opts.blockSize < 1 || opts.valEvery < 2) throw new Error('assignSplits: blockSize >= 1 and valEvery >= 2 required');
  const out = new Map<string, SplitName>();
  const subsets = [...new Set(frames.map((f) => f.subset))].sort();
  if (subsets.length > 1) {
    subsets.forEach((s, i) => {
      const split: SplitName = i % opts.valEvery === opts.valEvery - 1 ? 'val' : 'train';
      for (const f of frames) if (f.subset === s) out.set(f.key, split);
    });
    return out;
  }
  const sorted = [...frames].sort((a, b) => a.key.localeCompare(b.key));
  sorted.forEach((f, i) => {
    const block = Math.floor(i / opts.blockSize);
    out.set(f.key, block % opts.valEvery === opts.valEvery - 1 ? 'val' : 'train');
  });
  return out;
}

/** sha256 over the sorted (key, split) assignment and the options: names a split exactly. */
export function splitFingerprint(assignment: Map<string, SplitName>, opts: SplitOptions = DEFAULT_SPLIT): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(opts));
  for (const [k, s] of [...assignment].sort((a, b) => a[0].localeCompare(b[0]))) h.update(`${k}\t${s}\n`);
  return h.digest('hex').slice(0, 16);
}

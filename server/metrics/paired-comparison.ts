import { groupIntoBlocks, pairedBootstrap, type PairedComparison } from './bootstrap.ts';
import type { ConfusionMatrix } from './confusion-matrix.ts';

/**
 * Paired bootstrap of two models over the images both evaluated (each keyed by image),
 * resampling blocks of `blockSize` consecutive images in `a`'s order (pass it in time order). Null under two shared images: a
 * paired interval needs at least two units to resample.
 */
export function comparePairedImages(
  a: readonly { key: string; confusion: ConfusionMatrix }[],
  b: readonly { key: string; confusion: ConfusionMatrix }[],
  blockSize: number,
): PairedComparison | null {
  const bByKey = new Map(b.map((p) => [p.key, p.confusion]));
  const shared = a.filter((p) => bByKey.has(p.key));
  if (shared.length < 2) return null;
  const ca = groupIntoBlocks(
    shared.map((p) => p.confusion),
    blockSize,
  );
  const cb = groupIntoBlocks(
    shared.map((p) => bByKey.get(p.key)!),
    blockSize,
  );
  return { ...pairedBootstrap(ca, cb, { resamples: 1000 }), images: shared.length };
}

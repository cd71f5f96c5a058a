import { IGNORE_INDEX } from '../../models/classes.ts';
import type { IgnorePolicy } from '../definitions.ts';
import type { LabelMap } from './image-types.ts';

export const CAR_CLASS = 10;
export const DEFAULT_HOOD_THRESHOLD = 0.95;

export const DEFAULT_IGNORE_POLICY: IgnorePolicy = { ignoreIndex: IGNORE_INDEX, hood: 'ignore', hoodThreshold: DEFAULT_HOOD_THRESHOLD };

/**
 * The own car's hood, derived from the data: pixels labelled Car in at least
 * `threshold` of the frames of one drive (same camera rig). Returns a 0/1 mask at the
 * labels' resolution. Frames of other sizes are an error: one rig, one size.
 */
export function computeHoodMask(labels: readonly LabelMap[], threshold = DEFAULT_HOOD_THRESHOLD): Uint8Array {
  if (labels.length === 0) throw new Error('computeHoodMask: no labels');
  const { width, height } = labels[0];
  const counts = new Uint32Array(width * height);
  for (const l of labels) {
    if (l.width !== width || l.height !== height) throw new Error('computeHoodMask: labels differ in size');
    for (let i = 0; i < counts.length; i++) if (l.data[i] === CAR_CLASS) counts[i]++;
  }
  const need = Math.ceil(threshold * labels.length);
  const mask = new Uint8Array(width * height);
  for (let i = 0; i < mask.length; i++) mask[i] = counts[i] >= need ? 1 : 0;
  return mask;
}

/** Returns a copy of `label` with masked pixels set to the ignore index. */
export function applyIgnoreMask(label: LabelMap, mask: Uint8Array | null): LabelMap {
  if (!mask) return label;
  if (mask.length !== label.data.length) throw new Error('applyIgnoreMask: mask size differs from label');
  const data = new Uint8Array(label.data);
  const spans = maskSpans(mask);
  for (let i = 0; i < spans.length; i += 2) data.fill(IGNORE_INDEX, spans[i], spans[i + 1]);
  return { ...label, data };
}

const spanCache = new WeakMap<Uint8Array, Int32Array>();

/** A mask as [start, end) runs of set pixels (a hood is a few hundred runs), computed once per mask. */
function maskSpans(mask: Uint8Array): Int32Array {
  let spans = spanCache.get(mask);
  if (!spans) {
    const runs: number[] = [];
    for (let i = 0; i < mask.length; ) {
      if (!mask[i]) {
        i++;
        continue;
      }
      const start = i;
      while (i < mask.length && mask[i]) i++;
      runs.push(start, i);
    }
    spans = Int32Array.from(runs);
    spanCache.set(mask, spans);
  }
  return spans;
}

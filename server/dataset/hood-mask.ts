import { IGNORE_INDEX, NUM_CLASSES } from '../../models/classes.ts';
import type { IgnorePolicy } from '../schemas/dataset.ts';
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
  const counter = new CarCounter();
  for (const l of labels) if (!counter.add(l)) throw new Error('computeHoodMask: labels differ in size');
  return counter.mask(threshold)!;
}

/**
 * Running per-pixel Car counts over the frames of one drive: what the hood mask needs, in one
 * 4-byte counter per pixel however many frames are seen (a scan never holds the labels).
 */
export class CarCounter {
  private counts: Uint32Array | null = null;
  private width = 0;
  private height = 0;
  private frames = 0;
  /** Frames of another size were seen: one rig, one size, so no hood is derived. */
  mixedSizes = false;

  /** Counts one frame; false (and no mask from now on) when its size differs from the first. */
  add(label: LabelMap): boolean {
    if (this.mixedSizes) return false;
    if (!this.counts) {
      this.width = label.width;
      this.height = label.height;
      this.counts = new Uint32Array(label.width * label.height);
    } else if (label.width !== this.width || label.height !== this.height) {
      this.mixedSizes = true;
      this.counts = null;
      return false;
    }
    const counts = this.counts;
    const data = label.data;
    const n = counts.length;
    for (let i = 0; i < n; i++) {
      const v = data[i];
      if (v === CAR_CLASS) counts[i] = counts[i] + 1;
    }
    this.frames++;
    return true;
  }

  /** The 0/1 mask of pixels labelled Car in >= `threshold` of the frames, or null without frames or with mixed sizes. */
  mask(threshold: number): Uint8Array | null {
    if (!this.counts || this.frames === 0) return null;
    const need = Math.ceil(threshold * this.frames);
    const mask = new Uint8Array(this.counts.length);
    for (let i = 0; i < mask.length; i++) mask[i] = this.counts[i] >= need ? 1 : 0;
    return mask;
  }
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

/** Labelled pixels per class inside `mask` (what the ignore policy removes from a frame's counts). */
export function countClassPixelsInMask(label: LabelMap, mask: Uint8Array): number[] {
  if (mask.length !== label.data.length) throw new Error('countClassPixelsInMask: mask size differs from label');
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  const spans = maskSpans(mask);
  for (let s = 0; s < spans.length; s += 2) {
    for (let i = spans[s]; i < spans[s + 1]; i++) {
      const v = label.data[i];
      if (v !== IGNORE_INDEX) counts[v]++;
    }
  }
  return counts;
}

const spanCache = new WeakMap<Uint8Array, Int32Array>();

/** A mask as [start, end) runs of set pixels (a hood is a few hundred runs), computed once per mask. */
function maskSpans(mask: Uint8Array): Int32Array {
  let spans = spanCache.get(mask);
  if (!spans) {
    const runs: number[] = [];
    for (let i = 0; i < mask.length;) {
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

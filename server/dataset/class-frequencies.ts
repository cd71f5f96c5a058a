import { IGNORE_INDEX, NUM_CLASSES } from '../../models/classes.ts';
import type { LabelMap } from './image-types.ts';

/** Pixel counts per class (ignored pixels excluded). */
export function countClassPixels(labels: Iterable<LabelMap>): number[] {
  const counts = new Array<number>(NUM_CLASSES).fill(0);
  for (const l of labels) {
    for (let i = 0; i < l.data.length; i++) {
      const v = l.data[i];
      if (v !== IGNORE_INDEX) counts[v]++;
    }
  }
  return counts;
}

export function toFrequencies(counts: readonly number[]): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.map((c) => (total === 0 ? 0 : c / total));
}

import { IGNORE_INDEX, NUM_CLASSES } from '../../models/classes.ts';

/**
 * Per-pair counts of two consecutive frames, summable over pairs. For each class c (the
 * truth in the first frame), layout [4·C]:
 *   stable_c   pixels whose truth is c in both frames
 *   flicker_c  of those, pixels whose prediction differs between the frames
 *   from_c     pixels whose truth is c in the first frame
 *   changed_c  of those, pixels whose truth is not c in the second frame
 * A pixel ignored (255) in either frame's truth is not counted. The camera moves, so a pixel
 * is a place in the image, not a point of the world: where the truth stays the same there,
 * the model's label should too, and the truth's own change rate says how much the scene moved.
 */
export function temporalPairCounts(
  gtA: ArrayLike<number>,
  gtB: ArrayLike<number>,
  predA: ArrayLike<number>,
  predB: ArrayLike<number>,
  c = NUM_CLASSES,
): Float64Array {
  const n = gtA.length;
  if (gtB.length !== n || predA.length !== n || predB.length !== n) throw new RangeError('temporalPairCounts: the two frames differ in size');
  const out = new Float64Array(4 * c);
  for (let i = 0; i < n; i++) {
    const a = gtA[i];
    const b = gtB[i];
    if (a === IGNORE_INDEX || b === IGNORE_INDEX) continue;
    if (a >= c || b >= c) throw new RangeError(`temporalPairCounts: class id ${a >= c ? a : b} at pixel ${i} is outside 0..${c - 1}`);
    out[2 * c + a]++;
    if (a === b) {
      out[a]++;
      if (predA[i] !== predB[i]) out[c + a]++;
    } else out[3 * c + a]++;
  }
  return out;
}

/** [overall flicker, overall truth change, flicker per class…, truth change per class…]; NaN where a denominator is empty. */
export function temporalRates(counts: Float64Array, c = NUM_CLASSES): number[] {
  let stable = 0;
  let flicker = 0;
  let from = 0;
  let changed = 0;
  for (let k = 0; k < c; k++) {
    stable += counts[k];
    flicker += counts[c + k];
    from += counts[2 * c + k];
    changed += counts[3 * c + k];
  }
  const rate = (a: number, b: number) => (b ? a / b : Number.NaN);
  return [
    rate(flicker, stable),
    rate(changed, from),
    ...Array.from({ length: c }, (_, k) => rate(counts[c + k], counts[k])),
    ...Array.from({ length: c }, (_, k) => rate(counts[3 * c + k], counts[2 * c + k])),
  ];
}

interface SequenceFrame {
  key: string;
  subset: string;
}

/**
 * Pairs of neighbouring frames: same subset (one recording) and frame numbers n and n+1 (the
 * number is the key's last run of digits, as in the Lyft/Udacity `000_0123` names). Nothing
 * says how much time lies between two numbers; consecutive numbers are the closest frames the
 * recording has. Returns index pairs into `frames` in key order.
 */
export function consecutivePairs(frames: readonly SequenceFrame[]): [number, number][] {
  const numbered = frames
    .map((f, i) => ({ i, subset: f.subset, n: frameNumber(f.key), prefix: f.key.replace(/\d+(?!.*\d)/, '') }))
    .filter((f): f is { i: number; subset: string; n: number; prefix: string } => f.n !== null)
    .sort((a, b) => (a.subset === b.subset ? (a.prefix === b.prefix ? a.n - b.n : a.prefix.localeCompare(b.prefix)) : a.subset.localeCompare(b.subset)));
  const pairs: [number, number][] = [];
  for (let j = 1; j < numbered.length; j++) {
    const a = numbered[j - 1];
    const b = numbered[j];
    if (a.subset === b.subset && a.prefix === b.prefix && b.n === a.n + 1) pairs.push([a.i, b.i]);
  }
  return pairs;
}

function frameNumber(key: string): number | null {
  const m = /(\d+)(?!.*\d)/.exec(key);
  return m ? Number(m[1]) : null;
}

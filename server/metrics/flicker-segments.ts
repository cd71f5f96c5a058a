import { IGNORE_INDEX, NUM_CLASSES } from '../../models/classes.ts';

/** A pair of consecutive frames as the segment search sees it: who its frames are and its temporalPairCounts. */
export interface ChainedPair {
  imageIdA: string;
  imageIdB: string;
  counts: Float64Array;
}

interface SegmentWindow {
  /** Pair indices [start, end): frames are pair start's first frame … pair end−1's second. */
  start: number;
  end: number;
  /** Flicker over the window's stable pixels (of the class, with one). */
  flicker: number;
  gtChange: number;
}

/**
 * The windows of `pairs` (in frame order) whose labels flicker most. A window is up to `length`
 * pairs that follow one another (each pair's second frame is the next pair's first), so a
 * segment is a short run of consecutive frames of one recording; its flicker is its summed
 * flicker over its summed stable pixels, per class by the truth as in `temporalPairCounts`.
 * Windows share no frame (two overlapping windows would show the same frames twice), and with a
 * class a window needs `minStable` stable pixels of it: a few pixels that all flicker say little.
 */
export function worstFlickerSegments(
  pairs: readonly ChainedPair[],
  opts: { length: number; count: number; classId?: number; minStable?: number },
  c = NUM_CLASSES,
): SegmentWindow[] {
  if (!Number.isInteger(opts.length) || opts.length < 1) throw new RangeError('worstFlickerSegments: length must be a positive integer');
  const k = opts.classId;
  if (k !== undefined && (!Number.isInteger(k) || k < 0 || k >= c)) throw new RangeError(`worstFlickerSegments: class ${k} is outside 0..${c - 1}`);
  const sum = (p: ChainedPair, from: number) => {
    if (k !== undefined) return p.counts[from + k];
    let s = 0;
    for (let j = 0; j < c; j++) s += p.counts[from + j];
    return s;
  };
  // Runs of pairs that follow one another: a window never crosses a gap.
  const chainOf: number[] = [];
  pairs.forEach((p, i) => chainOf.push(i > 0 && pairs[i - 1].imageIdB === p.imageIdA ? chainOf[i - 1] : i));
  const windows: SegmentWindow[] = [];
  for (let start = 0; start < pairs.length; start++) {
    let end = start;
    while (end < pairs.length && end - start < opts.length && chainOf[end] === chainOf[start]) end++;
    // A chain shorter than `length` gives one window, from its start.
    if (end - start < opts.length && start > chainOf[start]) continue;
    let stable = 0;
    let flicker = 0;
    let from = 0;
    let changed = 0;
    for (let i = start; i < end; i++) {
      stable += sum(pairs[i], 0);
      flicker += sum(pairs[i], c);
      from += sum(pairs[i], 2 * c);
      changed += sum(pairs[i], 3 * c);
    }
    if (stable === 0 || stable < (opts.minStable ?? 0)) continue;
    windows.push({ start, end, flicker: flicker / stable, gtChange: from ? changed / from : 0 });
  }
  windows.sort((a, b) => b.flicker - a.flicker || a.start - b.start);
  const picked: SegmentWindow[] = [];
  for (const w of windows) {
    if (picked.length >= opts.count) break;
    // Pair windows [s, e) cover frames s..e of their chain: they share a frame when these meet.
    if (picked.some((p) => chainOf[p.start] === chainOf[w.start] && p.start <= w.end && w.start <= p.end)) continue;
    picked.push(w);
  }
  return picked;
}

/**
 * The pixels of one frame that flicker against its neighbours in a segment: the truth is the
 * same class in both frames (and not ignored) but the model's label differs; with `classId`,
 * only where that class is the truth. 1 = flickering. Against one neighbour this marks exactly
 * the pixels `temporalPairCounts` counts as flicker of that pair.
 */
export function flickerPixels(
  gt: ArrayLike<number>,
  pred: ArrayLike<number>,
  neighbours: readonly { gt: ArrayLike<number>; pred: ArrayLike<number> }[],
  classId?: number,
): Uint8Array {
  const n = gt.length;
  if (pred.length !== n || neighbours.some((f) => f.gt.length !== n || f.pred.length !== n)) throw new RangeError('flickerPixels: the frames differ in size');
  const out = new Uint8Array(n);
  for (const f of neighbours) {
    for (let i = 0; i < n; i++) {
      const t = gt[i];
      if (t === IGNORE_INDEX || t !== f.gt[i] || (classId !== undefined && t !== classId)) continue;
      if (pred[i] !== f.pred[i]) out[i] = 1;
    }
  }
  return out;
}

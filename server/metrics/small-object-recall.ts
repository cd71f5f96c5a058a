import { NUM_CLASSES } from '../../models/classes.ts';

/** Thin or small classes whose objects are counted one by one: pedestrian, pole, road line, car, traffic sign. */
export const SMALL_OBJECT_CLASSES = [4, 5, 6, 10, 12] as const;

/** Object sizes in pixels at the label's resolution: [lower, upper) per bucket. */
export const SIZE_BUCKETS = [
  { label: '< 64 px', lower: 0, upper: 64 },
  { label: '64–255 px', lower: 64, upper: 256 },
  { label: '256–1023 px', lower: 256, upper: 1024 },
  { label: '≥ 1024 px', lower: 1024, upper: Number.POSITIVE_INFINITY },
] as const;

/** An object counts as found when at least this share of its pixels is predicted as its class. */
const FOUND_SHARE = 0.5;

export function bucketOf(pixels: number): number {
  return SIZE_BUCKETS.findIndex((b) => pixels >= b.lower && pixels < b.upper);
}

/**
 * Per-image counts (summable): for each small-object class and size bucket, the objects in
 * the truth and how many were found. An object is a 4-connected component of the class in
 * the truth. Layout [classIndex][bucket][objects, found], flattened.
 */
export function smallObjectCounts(
  gt: ArrayLike<number>,
  pred: ArrayLike<number>,
  width: number,
  height: number,
  classes: readonly number[] = SMALL_OBJECT_CLASSES,
): Float64Array {
  if (gt.length !== width * height || pred.length !== width * height) throw new RangeError('smallObjectCounts: maps are not width × height');
  const nb = SIZE_BUCKETS.length;
  const out = new Float64Array(classes.length * nb * 2);
  const slot = new Int16Array(NUM_CLASSES).fill(-1);
  classes.forEach((k, i) => (slot[k] = i));
  const seen = new Uint8Array(width * height);
  const stack = new Int32Array(width * height);
  let top = 0;
  const push = (i: number) => {
    seen[i] = 1;
    stack[top++] = i;
  };
  for (let start = 0; start < gt.length; start++) {
    const k = gt[start];
    if (seen[start] || k >= NUM_CLASSES || slot[k] < 0) continue;
    // Flood fill one object: its size and how many of its pixels the model labelled k.
    top = 0;
    push(start);
    let size = 0;
    let hit = 0;
    while (top > 0) {
      const i = stack[--top];
      size++;
      if (pred[i] === k) hit++;
      const x = i % width;
      if (x > 0 && !seen[i - 1] && gt[i - 1] === k) push(i - 1);
      if (x < width - 1 && !seen[i + 1] && gt[i + 1] === k) push(i + 1);
      if (i >= width && !seen[i - width] && gt[i - width] === k) push(i - width);
      if (i + width < gt.length && !seen[i + width] && gt[i + width] === k) push(i + width);
    }
    const o = (slot[k] * nb + bucketOf(size)) * 2;
    out[o]++;
    if (hit >= FOUND_SHARE * size) out[o + 1]++;
  }
  return out;
}

/** Recall per (class, bucket) from summed counts, in the counts' order; NaN where there were no objects. */
export function smallObjectRecalls(counts: Float64Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < counts.length; i += 2) out.push(counts[i] ? counts[i + 1] / counts[i] : Number.NaN);
  return out;
}

import { IGNORE_INDEX, NUM_CLASSES } from '../../models/classes.ts';

const UNLABELED = 0;
const PEDESTRIAN = 4;
const ROAD_LINE = 6;
const ROAD = 7;
const CAR = 10;

/**
 * Default cost of reading truth t as prediction p: 0 when right, 1 for an ordinary mistake,
 * and most where a planner would drive into something: a pedestrian (10), a car (8) or a
 * road line (4) read as drivable road or as nothing (unlabeled).
 */
export function defaultCostMatrix(c = NUM_CLASSES): number[][] {
  const m = Array.from({ length: c }, (_, t) => Array.from({ length: c }, (_, p): number => (t === p ? 0 : 1)));
  for (const [truth, cost] of [
    [PEDESTRIAN, 10],
    [CAR, 8],
    [ROAD_LINE, 4],
  ] as const) {
    if (truth >= c) continue;
    m[truth][ROAD] = cost;
    m[truth][UNLABELED] = cost;
  }
  return m;
}

/**
 * Weight of image row y of h: lower rows show ground closer to the car, so they weigh more.
 * Linear in the row, 0 at the top edge and 2 at the bottom: the mean over a frame is 1, so an
 * unweighted and a weighted error of the same uniform mistakes agree.
 */
export function rowWeight(y: number, h: number): number {
  return (2 * (y + 0.5)) / h;
}

/** Row-weighted truth × prediction matrix of one image (C·C, summable over images). */
export function rowWeightedConfusion(gt: ArrayLike<number>, pred: ArrayLike<number>, width: number, height: number, c = NUM_CLASSES): Float64Array {
  if (gt.length !== width * height || pred.length !== width * height) throw new RangeError('rowWeightedConfusion: maps are not width × height');
  const out = new Float64Array(c * c);
  const row = new Float64Array(c * c);
  for (let y = 0; y < height; y++) {
    row.fill(0);
    const o = y * width;
    for (let x = 0; x < width; x++) {
      const t = gt[o + x];
      if (t === IGNORE_INDEX) continue;
      const p = pred[o + x];
      if (t >= c || p >= c) throw new RangeError(`rowWeightedConfusion: class id ${t >= c ? t : p} at (${x}, ${y}) is outside 0..${c - 1}`);
      row[t * c + p]++;
    }
    const w = rowWeight(y, height);
    for (let k = 0; k < c * c; k++) out[k] += row[k] * w;
  }
  return out;
}

/** Mean cost per (weighted) evaluated pixel: Σ cost[t][p]·W[t][p] / Σ W; NaN with no pixels. */
export function safetyWeightedError(weighted: Float64Array, cost: readonly (readonly number[])[]): number {
  const c = cost.length;
  let num = 0;
  let den = 0;
  for (let t = 0; t < c; t++) {
    for (let p = 0; p < c; p++) {
      const w = weighted[t * c + p];
      num += w * cost[t][p];
      den += w;
    }
  }
  return den ? num / den : Number.NaN;
}

/** Checks a user's cost matrix: C×C, finite, non-negative, zero on the diagonal. Returns the reason it is refused, or null. */
export function costMatrixProblem(cost: unknown, c = NUM_CLASSES): string | null {
  if (!Array.isArray(cost) || cost.length !== c) return `the cost matrix needs ${c} rows (one per true class)`;
  for (let t = 0; t < c; t++) {
    const row = cost[t];
    if (!Array.isArray(row) || row.length !== c) return `row ${t} needs ${c} numbers (one per predicted class)`;
    for (let p = 0; p < c; p++) {
      const v = row[p];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) return `entry [${t}][${p}] must be a finite number ≥ 0`;
      if (t === p && v !== 0) return `entry [${t}][${t}] is a correct prediction and must cost 0`;
    }
  }
  return null;
}

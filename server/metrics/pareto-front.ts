/** A point to weigh: what it costs (lower is better) and what it scores (higher is better). */
export interface CostValue {
  cost: number;
  value: number;
}

/**
 * The Pareto front of `points` when a lower cost and a higher value are better: every point that
 * no other point dominates, ordered by cost (ascending), so joining them in order draws the front.
 *
 * A point dominates another when it costs no more, scores no less, and is strictly better in one
 * of the two. So of two points at the same cost only the higher scoring one is on the front, of
 * two with the same score only the cheaper one, and exact duplicates dominate neither: both stay,
 * in input order. A non-finite cost or value is an error, not a point to drop.
 */
export function paretoFront<T extends CostValue>(points: readonly T[]): T[] {
  points.forEach((p, i) => {
    if (!Number.isFinite(p.cost) || !Number.isFinite(p.value)) {
      throw new RangeError(`paretoFront: point ${i} has cost ${p.cost} and value ${p.value}; both must be finite numbers`);
    }
  });
  // Cheapest first, best first within a cost; the sort is stable, so duplicates keep input order.
  const sorted = [...points].sort((a, b) => a.cost - b.cost || b.value - a.value);
  const front: T[] = [];
  for (const p of sorted) {
    const last = front.at(-1);
    // Everything kept so far costs no more than p; the last kept scores best of them.
    if (!last || p.value > last.value || (p.value === last.value && p.cost === last.cost)) front.push(p);
  }
  return front;
}

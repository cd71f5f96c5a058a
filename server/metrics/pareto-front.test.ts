import { describe, expect, it } from 'vitest';
import { rng } from '../random.ts';
import { paretoFront, type CostValue } from './pareto-front.ts';

type P = CostValue & { id: string };
const ids = (ps: P[]) => ps.map((p) => p.id);

/** The definition itself, O(n²): kept when no other point is at least as good in both and better in one. */
function bruteForce(points: P[]): P[] {
  const dominated = (p: P) => points.some((q) => q.cost <= p.cost && q.value >= p.value && (q.cost < p.cost || q.value > p.value));
  return points.filter((p) => !dominated(p));
}

describe('paretoFront', () => {
  it('returns an empty front for no points', () => {
    expect(paretoFront([])).toEqual([]);
  });

  it('returns a single point as its own front', () => {
    const only = { id: 'a', cost: 12.5, value: 0.41 };
    expect(paretoFront([only])).toEqual([only]);
  });

  it('keeps the non-dominated points of a hand-worked case, ordered by cost', () => {
    // cost (ms), mIoU — worked by hand:
    //   a  10  0.50  front: nothing is cheaper
    //   b  20  0.60  front: only f costs more and scores the same
    //   c  15  0.55  front: cheaper than b, better than a
    //   d  25  0.55  dominated by b (cheaper and better)
    //   e  10  0.40  dominated by a (same cost, a scores more)
    //   f  30  0.60  dominated by b (same score, b is cheaper)
    //   g  15  0.55  exact duplicate of c: neither dominates the other, both stay
    //   h   5  0.30  front: the cheapest
    //   i  40  0.59  dominated by b
    const points: P[] = [
      { id: 'a', cost: 10, value: 0.5 },
      { id: 'b', cost: 20, value: 0.6 },
      { id: 'c', cost: 15, value: 0.55 },
      { id: 'd', cost: 25, value: 0.55 },
      { id: 'e', cost: 10, value: 0.4 },
      { id: 'f', cost: 30, value: 0.6 },
      { id: 'g', cost: 15, value: 0.55 },
      { id: 'h', cost: 5, value: 0.3 },
      { id: 'i', cost: 40, value: 0.59 },
    ];
    expect(ids(paretoFront(points))).toEqual(['h', 'a', 'c', 'g', 'b']);
  });

  it('keeps only the best of points tied on cost, and only the cheapest of points tied on value', () => {
    const sameCost: P[] = [
      { id: 'low', cost: 7, value: 0.2 },
      { id: 'high', cost: 7, value: 0.9 },
      { id: 'mid', cost: 7, value: 0.5 },
    ];
    expect(ids(paretoFront(sameCost))).toEqual(['high']);
    const sameValue: P[] = [
      { id: 'dear', cost: 9, value: 0.5 },
      { id: 'cheap', cost: 3, value: 0.5 },
      { id: 'mid', cost: 6, value: 0.5 },
    ];
    expect(ids(paretoFront(sameValue))).toEqual(['cheap']);
  });

  it('keeps every copy of a point repeated, in input order, and drops them all when another dominates it', () => {
    const copies: P[] = [
      { id: 'x1', cost: 4, value: 0.7 },
      { id: 'x2', cost: 4, value: 0.7 },
      { id: 'x3', cost: 4, value: 0.7 },
    ];
    expect(ids(paretoFront(copies))).toEqual(['x1', 'x2', 'x3']);
    expect(ids(paretoFront([...copies, { id: 'better', cost: 4, value: 0.8 }]))).toEqual(['better']);
  });

  it('does not change its input', () => {
    const points: P[] = [
      { id: 'b', cost: 2, value: 0.9 },
      { id: 'a', cost: 1, value: 0.1 },
    ];
    const before = structuredClone(points);
    expect(ids(paretoFront(points))).toEqual(['a', 'b']);
    expect(points).toEqual(before);
  });

  it('throws on a cost or value that is not a finite number', () => {
    expect(() => paretoFront([{ cost: Number.NaN, value: 0.5 }])).toThrow(/point 0 .* must be finite/);
    expect(() =>
      paretoFront([
        { cost: 1, value: 0.5 },
        { cost: 2, value: Number.POSITIVE_INFINITY },
      ]),
    ).toThrow(/point 1/);
  });

  it('agrees with the O(n²) definition on random points with many ties', () => {
    const rand = rng(33);
    for (let trial = 0; trial < 200; trial++) {
      // Few distinct coordinates, so ties and duplicates are common.
      const points: P[] = Array.from({ length: 1 + Math.floor(rand() * 12) }, (_, i) => ({
        id: String(i),
        cost: Math.floor(rand() * 5),
        value: Math.floor(rand() * 5) / 4,
      }));
      const expected = bruteForce(points).sort((a, b) => a.cost - b.cost || b.value - a.value || Number(a.id) - Number(b.id));
      expect(ids(paretoFront(points))).toEqual(ids(expected));
    }
  });
});

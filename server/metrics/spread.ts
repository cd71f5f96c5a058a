/** How far repeated measurements of one thing (e.g. the same recipe trained with other seeds) spread. */
export interface Spread {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); null for a single value. */
  sd: number | null;
  min: number;
  max: number;
}

/** Mean, sample standard deviation and range of the values; null when there are none. */
export function spreadOf(values: readonly number[]): Spread | null {
  const n = values.length;
  if (n === 0) return null;
  const mean = values.reduce((s, v) => s + v, 0) / n;
  const sd = n > 1 ? Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / (n - 1)) : null;
  return { n, mean, sd, min: Math.min(...values), max: Math.max(...values) };
}

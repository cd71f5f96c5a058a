/** Display helpers: IoU as points (0–100), NaN/null as an em dash with a reason in the UI. */
export function pts(v: number | null | undefined, digits = 1): string {
  return v === null || v === undefined || Number.isNaN(v) ? '—' : (v * 100).toFixed(digits);
}

export function ci(low: number | null | undefined, high: number | null | undefined): string {
  return low === null || low === undefined || high === null || high === undefined ? '' : `[${pts(low)}, ${pts(high)}]`;
}

export function fmtInt(v: number): string {
  return v.toLocaleString('en-US');
}

export function fmtParams(v: number): string {
  return v >= 1e6 ? `${(v / 1e6).toFixed(2)} M` : `${(v / 1e3).toFixed(0)} k`;
}

export function fmtSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined) return '—';
  if (s < 90) return `${s.toFixed(0)} s`;
  if (s < 5400) return `${(s / 60).toFixed(0)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

/** Bootstrap p-value; at the floor that `resamples` can resolve, say so instead of printing the floor. */
export function fmtP(p: number, resamples = 1000): string {
  const floor = 2 / (resamples + 1);
  if (p <= floor + 1e-12) return `p ≤ ${floor.toFixed(3)} (the smallest ${resamples.toLocaleString('en-US')} resamples can show)`;
  return `p = ${p.toFixed(3)}`;
}

/** A difference in points with its sign (2 decimals for variants, which differ from their parent by fractions of a point). */
export function signedPts(v: number, digits = 1): string {
  return `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(digits)}`;
}

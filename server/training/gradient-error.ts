/** max |a − b| / max |b| over one tensor, b the reference (the absolute difference when b is all zero). */
export function relativeError(a: Float32Array, b: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return scale === 0 ? diff : diff / scale;
}

/**
 * The parameter whose gradient differs most from the reference, by `relativeError`; a missing
 * gradient is infinitely wrong and a NaN is never hidden by a smaller error.
 */
export function worstGradient(got: ReadonlyMap<string, Float32Array>, ref: ReadonlyMap<string, Float32Array>): { name: string; error: number } {
  let worst = { name: '', error: 0 };
  for (const [name, g] of ref) {
    const value = got.get(name);
    if (!value) return { name, error: Infinity };
    const error = relativeError(value, g);
    if (!(error <= worst.error)) worst = { name, error };
  }
  return worst;
}

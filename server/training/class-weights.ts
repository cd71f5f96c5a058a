/**
 * Median-frequency balancing (Eigen & Fergus 2015): w_c = median(f) / f_c, where f_c is
 * class c's pixel frequency in the TRAINING split (ignored pixels excluded) and the
 * median runs over classes present. Clipped to [minWeight, maxWeight] so a class seen in
 * a handful of pixels cannot dominate; absent classes get weight 0 (nothing to learn from).
 */
export function medianFrequencyWeights(pixelCounts: readonly number[], maxWeight = 50, minWeight = 0.05): number[] {
  const total = pixelCounts.reduce((a, b) => a + b, 0);
  if (total === 0) throw new Error('class weights: the training split has no labelled pixels');
  const freqs = pixelCounts.map((c) => c / total);
  const present = freqs.filter((f) => f > 0).sort((a, b) => a - b);
  const mid = present.length / 2;
  const median = present.length % 2 ? present[Math.floor(mid)] : (present[mid - 1] + present[mid]) / 2;
  return freqs.map((f) => (f === 0 ? 0 : Math.min(maxWeight, Math.max(minWeight, median / f))));
}

import { IGNORE_INDEX, NUM_CLASSES } from '../../models/classes.ts';

/**
 * Boundary band of a label map: pixels with a pixel of another label within `d` pixels
 * (chessboard distance, i.e. in the (2d+1)² window, clipped at the frame's edge: the edge
 * of the picture is not an object's contour). For a region this is the part of it within d
 * of its contour, `G ∩ G_d` in Cheng et al.'s Boundary IoU (CVPR 2021), for all classes at
 * once. Two separable passes over run lengths: O(pixels) whatever d is.
 */
export function boundaryBand(label: ArrayLike<number>, width: number, height: number, d: number): Uint8Array {
  if (label.length !== width * height) throw new RangeError('boundaryBand: map is not width × height');
  if (!Number.isInteger(d) || d < 1) throw new RangeError('boundaryBand: d must be an integer ≥ 1');
  // Horizontal: uniform[x] = the row segment [x−d, x+d] (clipped) holds one label only.
  const hUniform = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const o = y * width;
    let start = 0;
    while (start < width) {
      let end = start;
      while (end + 1 < width && label[o + end + 1] === label[o + start]) end++;
      for (let x = start; x <= end; x++) hUniform[o + x] = x - start >= d || start === 0 ? (end - x >= d || end === width - 1 ? 1 : 0) : 0;
      start = end + 1;
    }
  }
  // Vertical: the window is uniform when the column segment [y−d, y+d] is horizontally
  // uniform and of one label; band = not uniform.
  const band = new Uint8Array(width * height);
  for (let x = 0; x < width; x++) {
    let start = 0;
    while (start < height) {
      const ok = hUniform[start * width + x] === 1;
      const v = label[start * width + x];
      let end = start;
      while (end + 1 < height && (hUniform[(end + 1) * width + x] === 1) === ok && (!ok || label[(end + 1) * width + x] === v)) end++;
      for (let y = start; y <= end; y++) {
        const inside = ok && (y - start >= d || start === 0) && (end - y >= d || end === height - 1);
        band[y * width + x] = inside ? 0 : 1;
      }
      start = end + 1;
    }
  }
  return band;
}

/** Band width for a frame: 2% of its diagonal, the convention of the Boundary IoU paper (20 px at 800×600). */
export function defaultBandPx(width: number, height: number): number {
  return Math.max(1, Math.round(0.02 * Math.hypot(width, height)));
}

/**
 * Per-image counts [intersection_c…, union_c…] (2·C, summable): for class c,
 * |(G_c ∩ band(G)) ∩ (P_c ∩ band(P))| and |(G_c ∩ band(G)) ∪ (P_c ∩ band(P))|, over pixels
 * whose truth is not ignored. Boundary IoU_c = Σ intersection / Σ union over the images.
 */
export function boundaryCounts(gt: ArrayLike<number>, pred: ArrayLike<number>, width: number, height: number, d: number, c = NUM_CLASSES): Float64Array {
  const gBand = boundaryBand(gt, width, height, d);
  const pBand = boundaryBand(pred, width, height, d);
  const out = new Float64Array(2 * c);
  for (let i = 0; i < gt.length; i++) {
    const t = gt[i];
    if (t === IGNORE_INDEX) continue;
    const p = pred[i];
    if (t >= c || p >= c) throw new RangeError(`boundaryCounts: class id ${t >= c ? t : p} at pixel ${i} is outside 0..${c - 1}`);
    const g = gBand[i] === 1;
    const q = pBand[i] === 1;
    if (g && q && t === p) {
      out[t]++;
      out[c + t]++;
      continue;
    }
    if (g) out[c + t]++;
    if (q) out[c + p]++;
  }
  return out;
}

/** Boundary IoU per class from summed counts; NaN where the class has no boundary in truth or prediction. */
export function boundaryIous(counts: Float64Array, c = NUM_CLASSES): number[] {
  return Array.from({ length: c }, (_, k) => (counts[c + k] ? counts[k] / counts[c + k] : Number.NaN));
}

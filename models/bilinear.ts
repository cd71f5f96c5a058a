/**
 * Bilinear interpolation with half-pixel centres along one axis (TF.js `halfPixelCenters`,
 * ONNX `half_pixel`): output o reads input positions i0 and i1 with weights w0 and w1, the
 * source coordinate (o + ½)·in/out − ½ clamped to the input at both borders.
 */
interface BilinearTaps {
  i0: Int32Array;
  i1: Int32Array;
  w0: Float32Array;
  w1: Float32Array;
}

export function bilinearTaps(inSize: number, outSize: number, clampBorders = true): BilinearTaps {
  const taps = { i0: new Int32Array(outSize), i1: new Int32Array(outSize), w0: new Float32Array(outSize), w1: new Float32Array(outSize) };
  const scale = inSize / outSize;
  for (let o = 0; o < outSize; o++) {
    let src = (o + 0.5) * scale - 0.5;
    if (clampBorders) src = Math.min(Math.max(src, 0), inSize - 1);
    const i0 = Math.floor(src);
    const frac = src - i0;
    taps.i0[o] = i0;
    taps.i1[o] = Math.min(i0 + 1, inSize - 1);
    taps.w0[o] = 1 - frac;
    taps.w1[o] = frac;
  }
  return taps;
}

/**
 * The same interpolation as a dense matrix [out, in]: resizing is y = R_h · x · R_wᵀ per
 * channel, so its adjoint is dx = R_hᵀ · dy · R_w. Taps that fall outside the input (only
 * without clamping, a deliberately wrong variant for tests) are dropped.
 */
export function bilinearMatrix(inSize: number, outSize: number, clampBorders = true): Float32Array {
  const { i0, i1, w0, w1 } = bilinearTaps(inSize, outSize, clampBorders);
  const m = new Float32Array(outSize * inSize);
  for (let o = 0; o < outSize; o++) {
    if (i0[o] >= 0 && i0[o] < inSize) m[o * inSize + i0[o]] += w0[o];
    if (i1[o] >= 0 && i1[o] < inSize) m[o * inSize + i1[o]] += w1[o];
  }
  return m;
}

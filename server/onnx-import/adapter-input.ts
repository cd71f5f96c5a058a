import type { Adapter } from './adapter.ts';

/** The size an image is fed at: the adapter's fixed size, or for "any" the frame's own size within maxSide, rounded to multipleOf. */
export function adapterInputSize(adapter: Adapter, width: number, height: number): { width: number; height: number } {
  const { size, multipleOf, maxSide } = adapter.input;
  if (size !== 'any') return size;
  const s = Math.min(1, maxSide / Math.max(width, height));
  const round = (v: number) => Math.max(multipleOf, Math.round((v * s) / multipleOf) * multipleOf);
  return { width: round(width), height: round(height) };
}

export function adapterInputDims(adapter: Adapter, n: number, size: { width: number; height: number }): number[] {
  return adapter.input.layout === 'NCHW' ? [n, 3, size.height, size.width] : [n, size.height, size.width, 3];
}

/**
 * One lookup table per model channel: byte value → fed value, (v·scale − mean[c]) / std[c]
 * rounded to float32 once. With PixelDrive's adapter it equals models/preprocess.ts bit for
 * bit (tested over all 256 values).
 */
export function adapterLookup(adapter: Adapter): Float32Array[] {
  const { scale, mean, std } = adapter.input.normalize;
  return [0, 1, 2].map((c) => Float32Array.from({ length: 256 }, (_, v) => (v * scale - mean[c]) / std[c]));
}

/**
 * Writes one RGB image (interleaved bytes, already at the fed size) into `out` in the model's
 * layout and colour order.
 */
export function fillAdapterInput(adapter: Adapter, lut: Float32Array[], rgb: Uint8Array, out: Float32Array): void {
  const px = rgb.length / 3;
  // Model channel c reads source channel src[c]: BGR models get blue first.
  const src = adapter.input.colorOrder === 'BGR' ? [2, 1, 0] : [0, 1, 2];
  if (adapter.input.layout === 'NHWC') {
    for (let p = 0; p < px; p++) for (let c = 0; c < 3; c++) out[p * 3 + c] = lut[c][rgb[p * 3 + src[c]]];
  } else {
    for (let c = 0; c < 3; c++) {
      const plane = out.subarray(c * px, (c + 1) * px);
      const table = lut[c];
      for (let p = 0, i = src[c]; p < px; p++, i += 3) plane[p] = table[rgb[i]];
    }
  }
}

/**
 * Image normalisation shared by training, evaluation, the playground and the ONNX path:
 * RGB bytes → float in [-1, 1]. Resizing is `resizeRgbBilinear` in server/dataset.
 */
export function normalizeRgb(rgb: Uint8Array, out = new Float32Array(rgb.length)): Float32Array {
  for (let i = 0; i < rgb.length; i++) out[i] = rgb[i] / 127.5 - 1;
  return out;
}

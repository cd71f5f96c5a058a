import type { LabelMap, RgbImage } from './image-types.ts';

/**
 * Nearest-neighbour resize for label maps (half-pixel centres). Every output value is
 * copied from an input pixel, so a resized label never contains a class that was not
 * in the original.
 */
export function resizeLabelNearest(label: LabelMap, width: number, height: number): LabelMap {
  if (label.width === width && label.height === height) return label;
  const out = new Uint8Array(width * height);
  const sx = label.width / width;
  const sy = label.height / height;
  const cols = new Int32Array(width);
  for (let x = 0; x < width; x++) cols[x] = Math.min(label.width - 1, Math.floor((x + 0.5) * sx));
  let prev = -1;
  for (let y = 0; y < height; y++) {
    const iy = Math.min(label.height - 1, Math.floor((y + 0.5) * sy));
    const o = y * width;
    if (iy === prev) {
      out.copyWithin(o, o - width, o); // upscaling repeats source rows: copy the row just written
      continue;
    }
    const row = iy * label.width;
    for (let x = 0; x < width; x++) out[o + x] = label.data[row + cols[x]];
    prev = iy;
  }
  return { width, height, data: out };
}

/**
 * Bilinear resize of an RGB image with half-pixel centres, area-averaged when
 * shrinking by more than 2x (a box pre-filter) so thin structures are not aliased.
 * This is THE preprocessing resize: training, evaluation and the playground all call it.
 */
export function resizeRgbBilinear(img: RgbImage, width: number, height: number): RgbImage {
  if (img.width === width && img.height === height) return img;
  let src = img;
  while (src.width >= width * 2 && src.height >= height * 2) src = halve(src);
  const { width: sw, height: sh, data: sd } = src;
  const out = new Uint8Array(width * height * 3);
  const sx = sw / width;
  const sy = sh / height;
  // Column sample positions and weights are the same on every row: computed once.
  const col0 = new Int32Array(width);
  const col1 = new Int32Array(width);
  const wxs = new Float64Array(width);
  for (let x = 0; x < width; x++) {
    const fx = Math.max(0, Math.min(sw - 1, (x + 0.5) * sx - 0.5));
    const x0 = Math.floor(fx);
    col0[x] = x0 * 3;
    col1[x] = Math.min(sw - 1, x0 + 1) * 3;
    wxs[x] = fx - x0;
  }
  for (let y = 0; y < height; y++) {
    const fy = Math.max(0, Math.min(sh - 1, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const row0 = y0 * sw * 3;
    const row1 = Math.min(sh - 1, y0 + 1) * sw * 3;
    const wy = fy - y0;
    const vy = 1 - wy;
    for (let x = 0, o = y * width * 3; x < width; x++, o += 3) {
      const wx = wxs[x];
      const vx = 1 - wx;
      const a = row0 + col0[x];
      const b = row0 + col1[x];
      const d = row1 + col0[x];
      const e = row1 + col1[x];
      // Same expression, same operation order as the per-channel formula: bit-identical output.
      out[o] = Math.round((sd[a] * vx + sd[b] * wx) * vy + (sd[d] * vx + sd[e] * wx) * wy);
      out[o + 1] = Math.round((sd[a + 1] * vx + sd[b + 1] * wx) * vy + (sd[d + 1] * vx + sd[e + 1] * wx) * wy);
      out[o + 2] = Math.round((sd[a + 2] * vx + sd[b + 2] * wx) * vy + (sd[d + 2] * vx + sd[e + 2] * wx) * wy);
    }
  }
  return { width, height, data: out };
}

/** 2×2 box average (rounded), dropping an odd last row or column. */
function halve(img: RgbImage): RgbImage {
  const w = Math.floor(img.width / 2);
  const h = Math.floor(img.height / 2);
  const src = img.data;
  const stride = img.width * 3;
  const out = new Uint8Array(w * h * 3);
  for (let y = 0, o = 0; y < h; y++) {
    let p = 2 * y * stride;
    for (let x = 0; x < w; x++, p += 6, o += 3) {
      const q = p + stride;
      out[o] = (src[p] + src[p + 3] + src[q] + src[q + 3] + 2) >> 2;
      out[o + 1] = (src[p + 1] + src[p + 4] + src[q + 1] + src[q + 4] + 2) >> 2;
      out[o + 2] = (src[p + 2] + src[p + 5] + src[q + 2] + src[q + 5] + 2) >> 2;
    }
  }
  return { width: w, height: h, data: out };
}

import type { LabelMap, RgbImage } from './decode.ts';

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
  for (let y = 0; y < height; y++) {
    const iy = Math.min(label.height - 1, Math.floor((y + 0.5) * sy));
    const row = iy * label.width;
    for (let x = 0; x < width; x++) {
      const ix = Math.min(label.width - 1, Math.floor((x + 0.5) * sx));
      out[y * width + x] = label.data[row + ix];
    }
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
  const out = new Uint8Array(width * height * 3);
  const sx = src.width / width;
  const sy = src.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.max(0, Math.min(src.height - 1, (y + 0.5) * sy - 0.5));
    const y0 = Math.floor(fy);
    const y1 = Math.min(src.height - 1, y0 + 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.max(0, Math.min(src.width - 1, (x + 0.5) * sx - 0.5));
      const x0 = Math.floor(fx);
      const x1 = Math.min(src.width - 1, x0 + 1);
      const wx = fx - x0;
      for (let c = 0; c < 3; c++) {
        const a = src.data[(y0 * src.width + x0) * 3 + c];
        const b = src.data[(y0 * src.width + x1) * 3 + c];
        const d = src.data[(y1 * src.width + x0) * 3 + c];
        const e = src.data[(y1 * src.width + x1) * 3 + c];
        const v = (a * (1 - wx) + b * wx) * (1 - wy) + (d * (1 - wx) + e * wx) * wy;
        out[(y * width + x) * 3 + c] = Math.round(v);
      }
    }
  }
  return { width, height, data: out };
}

function halve(img: RgbImage): RgbImage {
  const w = Math.floor(img.width / 2);
  const h = Math.floor(img.height / 2);
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        const p = (2 * y * img.width + 2 * x) * 3 + c;
        const q = p + img.width * 3;
        out[(y * w + x) * 3 + c] = (img.data[p] + img.data[p + 3] + img.data[q] + img.data[q + 3] + 2) >> 2;
      }
    }
  }
  return { width: w, height: h, data: out };
}

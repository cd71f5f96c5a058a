/** A decoded image, one byte per pixel: what a mask or map PNG's colours stand for. */
export interface PixelCodes {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * Draws a loaded image onto a scratch canvas and maps each opaque pixel's colour to a byte
 * (`code(r, g, b)`); transparent pixels get `none`. Mask and confidence PNGs are decoded once this
 * way, so toggling classes or moving a threshold redraws without fetching anything.
 */
export function decodeImagePixels(img: HTMLImageElement, code: (r: number, g: number, b: number) => number, none: number): PixelCodes {
  const scratch = document.createElement('canvas');
  scratch.width = img.naturalWidth;
  scratch.height = img.naturalHeight;
  const ctx = scratch.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(img, 0, 0);
  const rgba = ctx.getImageData(0, 0, scratch.width, scratch.height).data;
  const data = new Uint8Array(scratch.width * scratch.height);
  for (let i = 0; i < data.length; i++) data[i] = rgba[i * 4 + 3] === 255 ? code(rgba[i * 4], rgba[i * 4 + 1], rgba[i * 4 + 2]) : none;
  return { width: scratch.width, height: scratch.height, data };
}

/** An 8-bit RGB image, row-major, 3 bytes per pixel. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** A label map: one class id (0..12, or 255 = ignore) per pixel, row-major. */
export interface LabelMap {
  width: number;
  height: number;
  data: Uint8Array;
}

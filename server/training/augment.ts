import { IGNORE_INDEX } from '../../models/classes.ts';
import { normalizeRgb } from '../../models/preprocess.ts';
import type { LoadedFrame } from '../dataset/read-dataset.ts';

export interface AugmentOptions {
  cropWidth: number;
  cropHeight: number;
  flip: boolean;
  /** Brightness factor drawn from [1 − b, 1 + b]. */
  brightness: number;
}

export interface Batch {
  images: Float32Array; // [n, h, w, 3], normalised
  labels: Int32Array; // [n, h, w], 0..12 or 255
  n: number;
  height: number;
  width: number;
}

/**
 * Random crop + horizontal flip + brightness for a batch, identical for all three
 * architectures. The label is cropped and flipped with the image, never interpolated.
 */
export function makeTrainingBatch(frames: readonly LoadedFrame[], opts: AugmentOptions, rand: () => number): Batch {
  const { cropWidth: cw, cropHeight: ch } = opts;
  const n = frames.length;
  const rgb = new Uint8Array(n * ch * cw * 3);
  const labels = new Int32Array(n * ch * cw).fill(IGNORE_INDEX);
  frames.forEach((f, b) => {
    const { width: W, height: H } = f.rgb;
    if (W < cw || H < ch) throw new Error(`crop ${cw}x${ch} larger than frame ${W}x${H}`);
    const x0 = Math.floor(rand() * (W - cw + 1));
    const y0 = Math.floor(rand() * (H - ch + 1));
    const flip = opts.flip && rand() < 0.5;
    const gain = 1 + (rand() * 2 - 1) * opts.brightness;
    for (let y = 0; y < ch; y++) {
      for (let x = 0; x < cw; x++) {
        const sx = x0 + (flip ? cw - 1 - x : x);
        const src = (y0 + y) * W + sx;
        const dst = (b * ch + y) * cw + x;
        labels[dst] = f.label.data[src];
        for (let c = 0; c < 3; c++) rgb[dst * 3 + c] = Math.min(255, Math.round(f.rgb.data[src * 3 + c] * gain));
      }
    }
  });
  return { images: normalizeRgb(rgb), labels, n, height: ch, width: cw };
}

/** Whole frames, no augmentation (validation). */
export function makeEvalBatch(frames: readonly LoadedFrame[]): Batch {
  const { width, height } = frames[0].rgb;
  const n = frames.length;
  const rgb = new Uint8Array(n * height * width * 3);
  const labels = new Int32Array(n * height * width);
  frames.forEach((f, b) => {
    rgb.set(f.rgb.data, b * height * width * 3);
    labels.set(f.label.data, b * height * width);
  });
  return { images: normalizeRgb(rgb), labels, n, height, width };
}

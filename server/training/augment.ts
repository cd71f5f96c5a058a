import { IGNORE_INDEX } from '../../models/classes.ts';
import { normalizeRgb } from '../../models/preprocess.ts';
import type { LoadedFrame } from '../dataset/read-dataset.ts';
import { applyWeather, describeWeather, type WeatherOptions } from './weather.ts';

export interface AugmentOptions {
  cropWidth: number;
  cropHeight: number;
  flip: boolean;
  /** Brightness factor drawn from [1 − b, 1 + b]. */
  brightness: number;
  /** Camera and weather variation beyond brightness (absent = none). */
  photometric?: PhotometricOptions;
  /** Weather variation: colour temperature, wet road, haze, rain, blur (absent = none). */
  weather?: WeatherOptions;
}

/**
 * Per-image photometric variation, each drawn uniformly: contrast about mid-grey in [1 − c, 1 + c],
 * gamma in [1/(1 + g), 1 + g], a per-channel gain in [1 − t, 1 + t] (colour temperature, tint),
 * and additive sensor noise with standard deviation up to `noise` grey levels. Labels untouched.
 */
export interface PhotometricOptions {
  contrast: number;
  gamma: number;
  colour: number;
  noise: number;
}

/** `train --photometric`: mild camera variation (other drives' frames are darker, wetter and differently tinted). */
export const DEFAULT_PHOTOMETRIC: PhotometricOptions = { contrast: 0.25, gamma: 0.3, colour: 0.1, noise: 6 };

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
    const lut = toneCurves(opts, rand);
    const sigma = opts.photometric ? rand() * opts.photometric.noise : 0;
    // With weather, sensor noise comes last (the camera sees the rain), so it is added after it.
    const noiseNow = sigma > 0 && !opts.weather;
    for (let y = 0; y < ch; y++) {
      for (let x = 0; x < cw; x++) {
        const sx = x0 + (flip ? cw - 1 - x : x);
        const src = (y0 + y) * W + sx;
        const dst = (b * ch + y) * cw + x;
        labels[dst] = f.label.data[src];
        for (let c = 0; c < 3; c++) {
          const v = lut[c * 256 + f.rgb.data[src * 3 + c]] + (noiseNow ? sigma * gaussian(rand) : 0);
          rgb[dst * 3 + c] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
        }
      }
    }
    if (opts.weather) {
      const pixels = ch * cw;
      const view = rgb.subarray(b * pixels * 3, (b + 1) * pixels * 3);
      const weathered = applyWeather({ width: cw, height: ch, data: view }, labels.subarray(b * pixels, (b + 1) * pixels), opts.weather, rand, { top: y0, height: H });
      for (let i = 0; i < view.length; i++) {
        const v = weathered.data[i] + (sigma ? sigma * gaussian(rand) : 0);
        view[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
      }
    }
  });
  return { images: normalizeRgb(rgb), labels, n, height: ch, width: cw };
}

/** The training loop's augmentation: random crops, horizontal flips, brightness ±20 %, plus photometric and weather variation where given. */
export function trainingAugmentation(o: { cropWidth: number; cropHeight: number; photometric?: PhotometricOptions; weather?: WeatherOptions }): AugmentOptions {
  return { cropWidth: o.cropWidth, cropHeight: o.cropHeight, flip: true, brightness: 0.2, photometric: o.photometric, weather: o.weather };
}

export function describeAugmentation(o: AugmentOptions): string {
  const parts = [`random ${o.cropWidth}x${o.cropHeight} crops`, ...(o.flip ? ['horizontal flip'] : []), `brightness ±${o.brightness}`];
  const p = o.photometric;
  if (p) parts.push(`contrast ±${p.contrast}`, `gamma up to ${1 + p.gamma}`, `channel gain ±${p.colour}`, `sensor noise σ ≤ ${p.noise}`);
  if (o.weather) parts.push(...describeWeather(o.weather));
  return parts.join(', ');
}

/** One lookup table per channel [3 × 256]: brightness, contrast, gamma, colour gain and colour temperature drawn for one image. */
function toneCurves(opts: AugmentOptions, rand: () => number): Float32Array {
  const gain = 1 + (rand() * 2 - 1) * opts.brightness;
  const p = opts.photometric;
  const contrast = p ? 1 + (rand() * 2 - 1) * p.contrast : 1;
  const gamma = p ? (rand() < 0.5 ? 1 / (1 + rand() * p.gamma) : 1 + rand() * p.gamma) : 1;
  const colour = [0, 1, 2].map(() => (p ? 1 + (rand() * 2 - 1) * p.colour : 1));
  if (opts.weather) {
    // Colour temperature: warm (red up, blue down) or cool, one shift for the whole frame.
    const t = (rand() * 2 - 1) * opts.weather.temperature;
    colour[0] *= 1 + t;
    colour[2] *= 1 - t;
  }
  const lut = new Float32Array(3 * 256);
  for (let c = 0; c < 3; c++) {
    for (let v = 0; v < 256; v++) {
      let out = v * gain * colour[c];
      out = (out - 128) * contrast + 128;
      out = 255 * Math.pow(Math.min(1, Math.max(0, out / 255)), gamma);
      lut[c * 256 + v] = out;
    }
  }
  return lut;
}

/** A standard normal draw from the batch's generator (Box–Muller). */
function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
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

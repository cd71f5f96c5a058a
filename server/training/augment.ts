import { IGNORE_INDEX } from '../../models/classes.ts';
import { normalizeRgb } from '../../models/preprocess.ts';
import type { LoadedFrame } from '../dataset/read-dataset.ts';
import { applyWeather, describeWeather, type WeatherOptions } from './weather.ts';

interface AugmentOptions {
  cropWidth: number;
  cropHeight: number;
  flip: boolean;
  /** Brightness factor drawn from [1 − b, 1 + b]. */
  brightness: number;
  /** Camera and weather variation beyond brightness (absent = none). */
  photometric?: PhotometricOptions;
  /** Weather variation: colour temperature, wet road, haze, rain, blur (absent = none). */
  weather?: WeatherOptions;
  /** Random scale: each crop zoomed in by a factor drawn from [1, max] (absent = none). */
  scale?: ScaleOptions;
}

/**
 * Random-scale crops: the crop covers a window 1/z of its size, z drawn uniformly from [1, max],
 * at a random position, and is resampled to the crop size — the image bilinearly, the label by
 * nearest neighbour (a label is never interpolated). Objects appear up to `max` times larger than
 * in the frames, as they would nearer the camera or under a narrower lens.
 */
export interface ScaleOptions {
  max: number;
}

/** `train --scale`: zoom up to 1.5×. */
export const DEFAULT_SCALE: ScaleOptions = { max: 1.5 };

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
 * Random crop (optionally at a random scale) + horizontal flip + brightness for a batch, identical
 * for all three architectures. The label is cropped, flipped and (with `scale`) resampled by
 * nearest neighbour with the image, never interpolated.
 */
export function makeTrainingBatch(frames: readonly LoadedFrame[], opts: AugmentOptions, rand: () => number): Batch {
  const { cropWidth: cw, cropHeight: ch } = opts;
  const n = frames.length;
  const rgb = new Uint8Array(n * ch * cw * 3);
  const labels = new Int32Array(n * ch * cw).fill(IGNORE_INDEX);
  frames.forEach((f, b) => {
    const { width: W, height: H } = f.rgb;
    if (W < cw || H < ch) throw new Error(`crop ${cw}x${ch} larger than frame ${W}x${H}`);
    // Without `scale` the window is the crop itself at a whole-pixel offset, and no draw is added,
    // so the batches are exactly those of runs made before the option existed.
    const zoom = opts.scale ? 1 + rand() * (opts.scale.max - 1) : 1;
    const x0 = opts.scale ? rand() * (W - cw / zoom) : Math.floor(rand() * (W - cw + 1));
    const y0 = opts.scale ? rand() * (H - ch / zoom) : Math.floor(rand() * (H - ch + 1));
    const flip = opts.flip && rand() < 0.5;
    const cols = samplePositions(cw, x0, zoom, W, flip);
    const rows = samplePositions(ch, y0, zoom, H, false);
    const lut = toneCurves(opts, rand);
    const sigma = opts.photometric ? rand() * opts.photometric.noise : 0;
    // With weather, sensor noise comes last (the camera sees the rain), so it is added after it.
    const noiseNow = sigma > 0 && !opts.weather;
    const px = f.rgb.data;
    for (let y = 0; y < ch; y++) {
      const r0 = rows.lo[y] * W;
      const r1 = rows.hi[y] * W;
      const fy = rows.frac[y];
      for (let x = 0; x < cw; x++) {
        const dst = (b * ch + y) * cw + x;
        labels[dst] = f.label.data[rows.nearest[y] * W + cols.nearest[x]];
        const fx = cols.frac[x];
        const [a, bb, c, d] = [(r0 + cols.lo[x]) * 3, (r0 + cols.hi[x]) * 3, (r1 + cols.lo[x]) * 3, (r1 + cols.hi[x]) * 3];
        for (let k = 0; k < 3; k++) {
          const top = px[a + k] + (px[bb + k] - px[a + k]) * fx;
          const bottom = px[c + k] + (px[d + k] - px[c + k]) * fx;
          const v = lut[k * 256 + Math.round(top + (bottom - top) * fy)] + (noiseNow ? sigma * gaussian(rand) : 0);
          rgb[dst * 3 + k] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
        }
      }
    }
    if (opts.weather) {
      const pixels = ch * cw;
      const view = rgb.subarray(b * pixels * 3, (b + 1) * pixels * 3);
      // Weather places the horizon in the frame's rows: the crop's rows on the frame zoomed by `zoom`.
      const weathered = applyWeather({ width: cw, height: ch, data: view }, labels.subarray(b * pixels, (b + 1) * pixels), opts.weather, rand, {
        top: y0 * zoom,
        height: H * zoom,
      });
      for (let i = 0; i < view.length; i++) {
        const v = weathered.data[i] + (sigma ? sigma * gaussian(rand) : 0);
        view[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
      }
    }
  });
  return { images: normalizeRgb(rgb), labels, n, height: ch, width: cw };
}

/**
 * Where each of `size` output pixels samples the frame along one axis (length `extent`), for a
 * window starting at `start` and shrunk by `zoom`, half-pixel centres: the two neighbours and the
 * weight of the second (bilinear, for the image) and the nearest pixel (for the label). At zoom 1
 * and a whole-pixel start every weight is 0 and `nearest` = `lo`: a plain crop.
 */
function samplePositions(size: number, start: number, zoom: number, extent: number, flip: boolean) {
  const lo = new Int32Array(size);
  const hi = new Int32Array(size);
  const nearest = new Int32Array(size);
  const frac = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    const u = start + ((flip ? size - 1 - i : i) + 0.5) / zoom - 0.5;
    const base = Math.min(Math.max(Math.floor(u), 0), extent - 1);
    lo[i] = base;
    hi[i] = Math.min(base + 1, extent - 1);
    frac[i] = Math.min(Math.max(u - base, 0), 1);
    nearest[i] = Math.min(Math.max(Math.round(u), 0), extent - 1);
  }
  return { lo, hi, nearest, frac };
}

/** The training loop's augmentation: random crops, horizontal flips, brightness ±20 %, plus photometric and weather variation and random scale where given. */
export function trainingAugmentation(o: {
  cropWidth: number;
  cropHeight: number;
  photometric?: PhotometricOptions;
  weather?: WeatherOptions;
  scale?: ScaleOptions;
}): AugmentOptions {
  return { cropWidth: o.cropWidth, cropHeight: o.cropHeight, flip: true, brightness: 0.2, photometric: o.photometric, weather: o.weather, scale: o.scale };
}

export function describeAugmentation(o: AugmentOptions): string {
  const parts = [
    `random ${o.cropWidth}x${o.cropHeight} crops${o.scale ? ` zoomed in by 1–${o.scale.max}×` : ''}`,
    ...(o.flip ? ['horizontal flip'] : []),
    `brightness ±${o.brightness}`,
  ];
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

import sharp from 'sharp';
import type { RgbImage } from '../dataset/image-types.ts';
import { rng } from '../random.ts';

/**
 * Camera-side corruptions of a road frame, applied to the RGB frame before the model and
 * never to its labels: a corruption takes an `RgbImage` and nothing else, and returns a new
 * image of the same size (its input is never written to).
 *
 * Each corruption has one parameter that grows (or shrinks) strictly with severity 1..5;
 * severity 0 is the identity (a copy of the frame). Randomness (noise, rain streaks, the
 * fog's patchiness) comes from a generator seeded by (frame, corruption, severity), so a
 * run, a retried chunk and the Robustness page's viewer all see the same corrupted frame.
 */
export const CORRUPTIONS = ['fog', 'rain', 'dusk', 'overexposure', 'contrast', 'gaussian-noise', 'motion-blur', 'jpeg'] as const;
export type Corruption = (typeof CORRUPTIONS)[number];
export const SEVERITIES = [1, 2, 3, 4, 5] as const;
export const MAX_SEVERITY = 5;

/** What each corruption's severity parameter is, for labels and the README. Index = severity (0 = identity). */
export const CORRUPTION_PARAMETERS: Record<Corruption, { label: string; parameter: string; values: readonly number[] }> = {
  // Extinction coefficient of the haze model I·t + A·(1 − t), t = exp(−β·depth).
  fog: { label: 'Fog / haze', parameter: 'extinction β', values: [0, 0.6, 1.1, 1.7, 2.4, 3.2] },
  // Rain streaks per megapixel; the wet darkening and streak opacity grow with it.
  rain: { label: 'Rain + wet road', parameter: 'streaks per MP', values: [0, 400, 900, 1600, 2500, 3600] },
  // Exposure gain below 1 (with a darker gamma): dusk.
  dusk: { label: 'Dusk (brightness −)', parameter: 'exposure gain', values: [1, 0.7, 0.5, 0.35, 0.24, 0.15] },
  // Exposure gain above 1, clipped at white: over-exposure.
  overexposure: { label: 'Over-exposure (brightness +)', parameter: 'exposure gain', values: [1, 1.35, 1.7, 2.1, 2.6, 3.2] },
  // Distance of every value from the frame's mean is scaled by this.
  contrast: { label: 'Contrast', parameter: 'contrast factor', values: [1, 0.7, 0.5, 0.35, 0.24, 0.15] },
  // Standard deviation of independent per-pixel, per-channel noise, in grey levels.
  'gaussian-noise': { label: 'Gaussian noise', parameter: 'σ (grey levels)', values: [0, 8, 16, 26, 38, 52] },
  // Length in pixels (at the frame's own width) of a horizontal box blur: the camera panning.
  'motion-blur': { label: 'Motion blur', parameter: 'blur length (px)', values: [1, 5, 9, 15, 23, 33] },
  // libjpeg quality the frame is re-encoded at (lower = stronger).
  jpeg: { label: 'JPEG compression', parameter: 'quality', values: [100, 30, 18, 11, 7, 4] },
};

export function parameterOf(corruption: Corruption, severity: number): number {
  checkSeverity(severity);
  return CORRUPTION_PARAMETERS[corruption].values[severity];
}

function checkSeverity(severity: number): void {
  if (!Number.isInteger(severity) || severity < 0 || severity > MAX_SEVERITY) throw new RangeError(`severity must be an integer 0..${MAX_SEVERITY}, got ${severity}`);
}

/** 32-bit FNV-1a of the key: the seed of one (frame, corruption, severity). */
export function corruptionSeed(frameKey: string, corruption: Corruption, severity: number): number {
  let h = 0x811c9dc5;
  for (const ch of `${frameKey}\u0000${corruption}\u0000${severity}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * The frame as the model sees it under `corruption` at `severity`. `frameKey` identifies the
 * frame (its content hash): it seeds the randomness, so the result depends on nothing else.
 */
export async function corruptFrame(image: RgbImage, opts: { corruption: Corruption; severity: number; frameKey: string }): Promise<RgbImage> {
  const { corruption, severity, frameKey } = opts;
  checkSeverity(severity);
  if (severity === 0) return { width: image.width, height: image.height, data: image.data.slice() };
  const p = CORRUPTION_PARAMETERS[corruption].values[severity];
  const rand = rng(corruptionSeed(frameKey, corruption, severity));
  switch (corruption) {
    case 'fog':
      return fog(image, p, rand);
    case 'rain':
      return rain(image, p, severity, rand);
    case 'dusk':
      return exposure(image, p, 1 + 0.12 * severity);
    case 'overexposure':
      return exposure(image, p, 1);
    case 'contrast':
      return contrast(image, p);
    case 'gaussian-noise':
      return gaussianNoise(image, p, rand);
    case 'motion-blur':
      return motionBlur(image, p);
    case 'jpeg':
      return jpeg(image, p);
  }
}

function mapPixels(image: RgbImage, f: (v: number, i: number) => number): RgbImage {
  const out = new Uint8Array(image.data.length);
  // Uint8Array stores round-toward-zero after clamping; round explicitly so a factor of 1 is the identity.
  for (let i = 0; i < out.length; i++) out[i] = clamp255(f(image.data[i], i));
  return { width: image.width, height: image.height, data: out };
}

function clamp255(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}

/**
 * Haze: I·t + A·(1 − t) with t = exp(−β·depth). A forward camera sees farther towards the
 * horizon, so depth falls from 1 at the horizon row (taken at 45% of the height) to 0.15 at
 * the bottom row, and stays 1 above it; a smooth seeded field makes the haze patchy (±15%).
 */
function fog(image: RgbImage, beta: number, rand: () => number): RgbImage {
  const { width: w, height: h } = image;
  const horizon = 0.45 * h;
  const field = smoothField(w, h, 8, 6, rand);
  const airlight = 0.82 * 255;
  const t = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const depth = y <= horizon ? 1 : 1 - (0.85 * (y - horizon)) / Math.max(1, h - 1 - horizon);
    for (let x = 0; x < w; x++) t[y * w + x] = Math.exp(-beta * depth * (1 + 0.15 * field[y * w + x]));
  }
  return mapPixels(image, (v, i) => {
    const tt = t[(i / 3) | 0];
    return v * tt + airlight * (1 - tt);
  });
}

/** A smooth field in [−1, 1]: bilinear interpolation of a (gx+1)×(gy+1) grid of seeded values. */
function smoothField(w: number, h: number, gx: number, gy: number, rand: () => number): Float32Array {
  const grid = Float32Array.from({ length: (gx + 1) * (gy + 1) }, () => rand() * 2 - 1);
  const out = new Float32Array(w * h);
  for (let y = 0; y < h; y++) {
    const fy = (y / Math.max(1, h - 1)) * gy;
    const y0 = Math.min(gy - 1, Math.floor(fy));
    const ty = fy - y0;
    for (let x = 0; x < w; x++) {
      const fx = (x / Math.max(1, w - 1)) * gx;
      const x0 = Math.min(gx - 1, Math.floor(fx));
      const tx = fx - x0;
      const g = (xx: number, yy: number) => grid[yy * (gx + 1) + xx];
      out[y * w + x] = (1 - ty) * ((1 - tx) * g(x0, y0) + tx * g(x0 + 1, y0)) + ty * ((1 - tx) * g(x0, y0 + 1) + tx * g(x0 + 1, y0 + 1));
    }
  }
  return out;
}

/**
 * Rain: the scene darkens and loses contrast as surfaces get wet (gain 1 − 0.07·severity),
 * then bright, slightly slanted streaks are blended in (opacity 0.25 + 0.05·severity).
 */
function rain(image: RgbImage, streaksPerMp: number, severity: number, rand: () => number): RgbImage {
  const { width: w, height: h } = image;
  const wet = 1 - 0.07 * severity;
  const out = mapPixels(image, (v) => v * wet);
  const scale = w / 800; // streak length and width follow the frame's resolution
  const count = Math.round((streaksPerMp * w * h) / 1e6);
  const alpha = 0.25 + 0.05 * severity;
  const slant = (rand() - 0.5) * 0.6; // one wind direction per frame: dx per dy
  const streak = 200;
  for (let s = 0; s < count; s++) {
    const x0 = rand() * w;
    const y0 = rand() * h;
    const len = (10 + rand() * 20) * scale * (1 + 0.15 * severity);
    for (let k = 0; k < len; k++) {
      const y = Math.round(y0 + k);
      const x = Math.round(x0 + slant * k);
      if (y < 0 || y >= h || x < 0 || x >= w) break;
      const i = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) out.data[i + c] = clamp255(out.data[i + c] * (1 - alpha) + streak * alpha);
    }
  }
  return out;
}

/** Exposure gain with a gamma (> 1 darkens mid-tones more, as a dusk camera does), clipped. */
function exposure(image: RgbImage, gain: number, gamma: number): RgbImage {
  const lut = new Float32Array(256);
  for (let v = 0; v < 256; v++) lut[v] = 255 * gain * Math.pow(v / 255, gamma);
  return mapPixels(image, (v) => lut[v]);
}

/** Every value's distance from the frame's mean grey level scaled by `factor`. */
function contrast(image: RgbImage, factor: number): RgbImage {
  let sum = 0;
  for (let i = 0; i < image.data.length; i++) sum += image.data[i];
  const mean = sum / image.data.length;
  return mapPixels(image, (v) => mean + (v - mean) * factor);
}

/** Independent N(0, σ²) per pixel and channel (Box–Muller on the seeded generator). */
function gaussianNoise(image: RgbImage, sigma: number, rand: () => number): RgbImage {
  let spare = Number.NaN;
  return mapPixels(image, (v) => {
    if (!Number.isNaN(spare)) {
      const z = spare;
      spare = Number.NaN;
      return v + sigma * z;
    }
    const u = 1 - rand(); // (0, 1]: log(0) never happens
    const r = Math.sqrt(-2 * Math.log(u));
    const theta = 2 * Math.PI * rand();
    spare = r * Math.sin(theta);
    return v + sigma * r * Math.cos(theta);
  });
}

/** Horizontal box blur of `length` pixels (odd), edges clamped: running sums, O(1) per pixel. */
function motionBlur(image: RgbImage, length: number): RgbImage {
  const { width: w, height: h, data } = image;
  const out = new Uint8Array(data.length);
  const r = (length - 1) >> 1;
  for (let y = 0; y < h; y++) {
    const row = y * w * 3;
    for (let c = 0; c < 3; c++) {
      const at = (x: number) => data[row + Math.min(w - 1, Math.max(0, x)) * 3 + c];
      let sum = 0;
      for (let x = -r; x <= r; x++) sum += at(x);
      for (let x = 0; x < w; x++) {
        out[row + x * 3 + c] = Math.round(sum / length);
        sum += at(x + r + 1) - at(x - r);
      }
    }
  }
  return { width: w, height: h, data: out };
}

/** Re-encoded by libjpeg (through sharp) at `quality` and decoded again. */
async function jpeg(image: RgbImage, quality: number): Promise<RgbImage> {
  const raw = { width: image.width, height: image.height, channels: 3 as const };
  const encoded = await sharp(image.data, { raw }).jpeg({ quality, chromaSubsampling: '4:2:0' }).toBuffer();
  const { data, info } = await sharp(encoded).raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== 3 || info.width !== image.width || info.height !== image.height) throw new Error(`jpeg corruption: decoded ${info.width}x${info.height}x${info.channels}`);
  return { width: image.width, height: image.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

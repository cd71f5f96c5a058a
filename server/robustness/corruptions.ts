import sharp from 'sharp';
import type { RgbImage } from '../dataset/image-types.ts';
import { rng } from '../random.ts';
import { MAX_SEVERITY, type Corruption } from '../schemas/robustness.ts';

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
// The corruptions' names and MAX_SEVERITY are the names a RobustnessRun stores: server/schemas/robustness.ts.

/** What each corruption's severity parameter is, for labels and docs/metrics.md. Index = severity (0 = identity). */
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
  if (!Number.isInteger(severity) || severity < 0 || severity > MAX_SEVERITY)
    throw new RangeError(`severity must be an integer 0..${MAX_SEVERITY}, got ${severity}`);
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
      return haze(image, p, rand);
    case 'rain':
      return rain(image, { streaksPerMp: p, wet: 1 - 0.07 * severity, alpha: 0.25 + 0.05 * severity, lengthScale: 1 + 0.15 * severity }, rand);
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

/** A new image whose every byte is `lut[byte]`: the per-value corruptions (gain, gamma, contrast, wet darkening). */
export function applyLut(image: RgbImage, f: (v: number) => number): RgbImage {
  const lut = new Uint8Array(256);
  for (let v = 0; v < 256; v++) lut[v] = clamp255(f(v));
  const out = new Uint8Array(image.data.length);
  for (let i = 0; i < out.length; i++) out[i] = lut[image.data[i]];
  return { width: image.width, height: image.height, data: out };
}

export function clamp255(v: number): number {
  return v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
}

/** Where an image's rows lie in the camera frame: its first row and the frame's height (a training crop's; a whole frame is `{ top: 0, height }`). */
export interface FrameRows {
  top: number;
  height: number;
}

/** The horizon row of a forward road camera, in frame rows: 45 % of the height. */
export const horizonRow = (frameHeight: number) => 0.45 * frameHeight;

/**
 * Haze: I·t + A·(1 − t) with t = exp(−β·depth). A forward camera sees farther towards the
 * horizon, so depth falls from 1 at the horizon row (taken at 45% of the frame's height) to 0.15
 * at the frame's bottom row, and stays 1 above it; a smooth seeded field makes the haze patchy (±15%).
 * `rows` places a crop in its frame (default: the image is the whole frame).
 */
export function haze(image: RgbImage, beta: number, rand: () => number, rows: FrameRows = { top: 0, height: image.height }): RgbImage {
  const { width: w, height: h, data } = image;
  const horizon = horizonRow(rows.height);
  const bottom = rows.height - 1;
  const field = smoothField(w, h, 8, 6, rand);
  const airlight = 0.82 * 255;
  const out = new Uint8Array(data.length);
  // exp(−e) tabulated over the exponent's range [0, 1.15·β] (steps of 1.15·β/4096): one exp per pixel cost more than the rest of the frame.
  const steps = 4096;
  const eMax = 1.15 * beta;
  const expTable = Float32Array.from({ length: steps + 1 }, (_, k) => Math.exp(-(k / steps) * eMax));
  for (let y = 0; y < h; y++) {
    const yf = y + rows.top;
    const depth = yf <= horizon ? 1 : 1 - (0.85 * (yf - horizon)) / Math.max(1, bottom - horizon);
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      const t = expTable[Math.round(((beta * depth * (1 + 0.15 * field[p])) / eMax) * steps)];
      const a = airlight * (1 - t);
      const i = p * 3;
      out[i] = clamp255(data[i] * t + a);
      out[i + 1] = clamp255(data[i + 1] * t + a);
      out[i + 2] = clamp255(data[i + 2] * t + a);
    }
  }
  return { width: w, height: h, data: out };
}

/** A smooth field in [−1, 1]: bilinear interpolation of a (gx+1)×(gy+1) grid of seeded values. */
export function smoothField(w: number, h: number, gx: number, gy: number, rand: () => number): Float32Array {
  const grid = Float32Array.from({ length: (gx + 1) * (gy + 1) }, () => rand() * 2 - 1);
  const out = new Float32Array(w * h);
  const row = new Float32Array(gx + 1);
  for (let y = 0; y < h; y++) {
    const fy = (y / Math.max(1, h - 1)) * gy;
    const y0 = Math.min(gy - 1, Math.floor(fy));
    const ty = fy - y0;
    for (let j = 0; j <= gx; j++) row[j] = (1 - ty) * grid[y0 * (gx + 1) + j] + ty * grid[(y0 + 1) * (gx + 1) + j];
    for (let x = 0; x < w; x++) {
      const fx = (x / Math.max(1, w - 1)) * gx;
      const x0 = Math.min(gx - 1, Math.floor(fx));
      const tx = fx - x0;
      out[y * w + x] = (1 - tx) * row[x0] + tx * row[x0 + 1];
    }
  }
  return out;
}

/**
 * How hard it rains: streaks per megapixel, the gain wet surfaces darken the scene by, the
 * streaks' opacity and a factor on their length (10–30 px at 800 px of width). The corruption's
 * severity s maps to wet = 1 − 0.07·s, alpha = 0.25 + 0.05·s, lengthScale = 1 + 0.15·s.
 */
export interface RainParameters {
  streaksPerMp: number;
  wet: number;
  alpha: number;
  lengthScale: number;
}

/**
 * Rain: the scene darkens and loses contrast as surfaces get wet (gain `wet`), then bright,
 * slightly slanted streaks are blended in (opacity `alpha`).
 */
export function rain(image: RgbImage, o: RainParameters, rand: () => number): RgbImage {
  const { width: w, height: h } = image;
  const out = applyLut(image, (v) => v * o.wet);
  const scale = w / 800; // streak length follows the frame's resolution
  const count = Math.round((o.streaksPerMp * w * h) / 1e6);
  const alpha = o.alpha;
  const slant = (rand() - 0.5) * 0.6; // one wind direction per frame: dx per dy
  const streak = 200;
  for (let s = 0; s < count; s++) {
    const x0 = rand() * w;
    const y0 = rand() * h;
    const len = (10 + rand() * 20) * scale * o.lengthScale;
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
  return applyLut(image, (v) => 255 * gain * Math.pow(v / 255, gamma));
}

/** Every value's distance from the frame's mean grey level scaled by `factor`. */
function contrast(image: RgbImage, factor: number): RgbImage {
  let sum = 0;
  for (let i = 0; i < image.data.length; i++) sum += image.data[i];
  const mean = sum / image.data.length;
  return applyLut(image, (v) => mean + (v - mean) * factor);
}

/**
 * N(0, 1) quantiles at 4096 evenly spaced probabilities: a pixel's noise is one of them,
 * picked by the seeded generator. Exact Box–Muller draws cost more than the network's
 * forward pass on a whole frame; the table keeps the distribution (to 1/4096 in probability).
 */
const NORMAL_TABLE = (() => {
  const n = 4096; // 12 bits: see gaussianNoise
  const t = new Float32Array(n);
  for (let i = 0; i < n; i++) t[i] = normalQuantile((i + 0.5) / n);
  return t;
})();

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9). */
function normalQuantile(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const tail = (q: number) => (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  if (p < 0.02425) return tail(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - 0.02425) return -tail(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/** Independent N(0, σ²) per pixel and channel. */
function gaussianNoise(image: RgbImage, sigma: number, rand: () => number): RgbImage {
  const out = new Uint8Array(image.data.length);
  // xorshift32 inline, seeded from the frame's generator (a call per value cost 3× the rest);
  // two 12-bit table indices from each 32-bit draw.
  let u = (rand() * 4294967296) >>> 0 || 1;
  let i = 0;
  for (; i + 1 < out.length; i += 2) {
    u ^= u << 13;
    u ^= u >>> 17;
    u ^= u << 5;
    u >>>= 0;
    out[i] = clamp255(image.data[i] + sigma * NORMAL_TABLE[u >>> 20]);
    out[i + 1] = clamp255(image.data[i + 1] + sigma * NORMAL_TABLE[(u >>> 8) & 0xfff]);
  }
  if (i < out.length) out[i] = clamp255(image.data[i] + sigma * NORMAL_TABLE[(rand() * 4096) | 0]);
  return { width: image.width, height: image.height, data: out };
}

/** Horizontal box blur of `length` pixels (odd), edges clamped: running sums, O(1) per pixel. */
export function motionBlur(image: RgbImage, length: number): RgbImage {
  const { width: w, height: h, data } = image;
  const out = new Uint8Array(data.length);
  const r = (length - 1) >> 1;
  const last = w - 1;
  for (let y = 0; y < h; y++) {
    const row = y * w * 3;
    for (let c = 0; c < 3; c++) {
      const base = row + c;
      let sum = 0;
      for (let x = -r; x <= r; x++) sum += data[base + (x < 0 ? 0 : x > last ? last : x) * 3];
      for (let x = 0; x < w; x++) {
        out[base + x * 3] = Math.round(sum / length);
        const add = x + r + 1;
        const drop = x - r;
        sum += data[base + (add > last ? last : add) * 3] - data[base + (drop < 0 ? 0 : drop) * 3];
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
  if (info.channels !== 3 || info.width !== image.width || info.height !== image.height)
    throw new Error(`jpeg corruption: decoded ${info.width}x${info.height}x${info.channels}`);
  return { width: image.width, height: image.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

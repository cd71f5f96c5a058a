import type { RgbImage } from '../dataset/image-types.ts';
import { clamp255, haze, horizonRow, motionBlur, rain, smoothField, type FrameRows } from '../robustness/corruptions.ts';

/**
 * Weather variation for training frames (`train --weather`): what other drives look like and the
 * training drive does not. Each effect is drawn independently per frame with its probability;
 * the physics (haze model, rain streaks, blur) is the robustness suite's, with continuous
 * strengths drawn up to its severity 3, so the suite's severities 4–5 stay unseen.
 * Labels are never changed: a wet road is still road.
 */
export interface WeatherOptions {
  /** Coherent warm/cool colour shift: red gain × (1 + t), blue × (1 − t), t in [−temperature, temperature]. */
  temperature: number;
  /** Probability of a wet road: road, road-line and sidewalk pixels darken, puddles mirror the scene above them. */
  wetRoad: number;
  /** Probability of haze (extinction β drawn in [0.3, 1.7]). */
  haze: number;
  /** Probability of rain streaks with wet darkening (400–1,600 streaks per megapixel). */
  rain: number;
  /** Probability of a horizontal blur of 3 or 5 px. */
  blur: number;
}

export const DEFAULT_WEATHER: WeatherOptions = { temperature: 0.15, wetRoad: 0.3, haze: 0.25, rain: 0.25, blur: 0.2 };

/** Label ids whose pixels get wet: road line, road, sidewalk. */
const WET_SURFACES = new Set([6, 7, 8]);

/**
 * The frame under this draw's weather (a new image unless nothing was drawn). `label` is the
 * frame's label at the same size; only its road surfaces are made wet. The colour temperature
 * is applied with the other tone curves (`augment.ts`), not here.
 */
export function applyWeather(
  image: RgbImage,
  label: ArrayLike<number>,
  o: WeatherOptions,
  rand: () => number,
  rows: FrameRows = { top: 0, height: image.height },
): RgbImage {
  let out = image;
  if (rand() < o.wetRoad) out = wetRoad(out, label, rand, rows);
  if (rand() < o.haze) out = haze(out, 0.3 + rand() * 1.4, rand, rows);
  if (rand() < o.rain) {
    // Up to the suite's severity 3: 1,600 streaks per MP, wet gain 0.79, opacity 0.4, length × 1.45.
    const strength = rand();
    out = rain(out, { streaksPerMp: 400 + strength * 1200, wet: 0.95 - strength * 0.16, alpha: 0.25 + rand() * 0.15, lengthScale: 1 + rand() * 0.45 }, rand);
  }
  if (rand() < o.blur) out = motionBlur(out, rand() < 0.5 ? 3 : 5);
  return out;
}

/**
 * Wet road: road surfaces darken by a gain in [0.6, 0.85]; where a smooth seeded field exceeds a
 * drawn threshold, below the horizon (45 % of the frame's height), they become puddles that
 * reflect the image mirrored about the horizon row (reflectance 0.4–0.8; a crop that lacks the
 * mirrored row reflects its top row). `rows` places a crop in its frame.
 */
export function wetRoad(image: RgbImage, label: ArrayLike<number>, rand: () => number, rows: FrameRows = { top: 0, height: image.height }): RgbImage {
  const { width: w, height: h, data } = image;
  if (label.length !== w * h) throw new Error(`label has ${label.length} pixels, image ${w}x${h}`);
  const dark = 0.6 + rand() * 0.25;
  const threshold = 0.2 + rand() * 0.5;
  const reflectance = 0.4 + rand() * 0.4;
  const field = smoothField(w, h, 6, 4, rand);
  const horizon = Math.round(horizonRow(rows.height)) - rows.top; // in the image's rows
  const out = data.slice();
  for (let y = 0; y < h; y++) {
    const mirror = Math.min(h - 1, Math.max(0, 2 * horizon - y));
    for (let x = 0; x < w; x++) {
      const p = y * w + x;
      if (!WET_SURFACES.has(label[p])) continue;
      const puddle = y > horizon && field[p] > threshold;
      const q = (mirror * w + x) * 3;
      for (let c = 0; c < 3; c++) {
        const v = data[p * 3 + c] * dark;
        out[p * 3 + c] = clamp255(puddle ? v * (1 - reflectance) + data[q + c] * reflectance : v);
      }
    }
  }
  return { width: w, height: h, data: out };
}

export function describeWeather(o: WeatherOptions): string[] {
  return [`colour temperature ±${o.temperature}`, `wet road p=${o.wetRoad}`, `haze p=${o.haze}`, `rain p=${o.rain}`, `blur p=${o.blur}`];
}

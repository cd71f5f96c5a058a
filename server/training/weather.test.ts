import { describe, expect, it } from 'vitest';
import type { LoadedFrame } from '../dataset/read-dataset.ts';
import { rng } from '../random.ts';
import { makeTrainingBatch } from './augment.ts';
import { applyWeather, DEFAULT_WEATHER, wetRoad } from './weather.ts';

const W = 48;
const H = 36;

/** A frame whose lower two thirds are road (7) with a road line (6), the top third building (1), the bottom rows ignored. */
function frame(): LoadedFrame {
  const rgb = Uint8Array.from({ length: W * H * 3 }, (_, i) => 40 + ((i * 37) % 180));
  const label = Uint8Array.from({ length: W * H }, (_, p) => {
    const y = Math.floor(p / W);
    const x = p % W;
    if (y >= H - 3) return 255;
    if (y < H / 3) return 1;
    return x === W / 2 ? 6 : 7;
  });
  return {
    frame: { subset: '', imagePath: 'x.png', labelPath: 'y.png' },
    rgb: { width: W, height: H, data: rgb },
    label: { width: W, height: H, data: label },
  } as LoadedFrame;
}

describe('weather variation', () => {
  const base = { cropWidth: W, cropHeight: H, flip: true, brightness: 0.2 };

  it('changes the pixels, never the labels, and is reproducible from the seed', () => {
    const always = { temperature: 0.15, wetRoad: 1, haze: 1, rain: 1, blur: 1 };
    const plain = makeTrainingBatch([frame()], base, rng(9));
    const wet = makeTrainingBatch([frame()], { ...base, weather: always }, rng(9));
    expect(Array.from(wet.labels)).toEqual(Array.from(plain.labels));
    let changed = 0;
    for (let i = 0; i < plain.images.length; i++) if (plain.images[i] !== wet.images[i]) changed++;
    expect(changed / plain.images.length).toBeGreaterThan(0.5);
    const again = makeTrainingBatch([frame()], { ...base, weather: always }, rng(9));
    expect(Array.from(again.images)).toEqual(Array.from(wet.images));
  });

  it('with every probability and the temperature at zero, the image is the plain one', () => {
    const none = { temperature: 0, wetRoad: 0, haze: 0, rain: 0, blur: 0 };
    const plain = makeTrainingBatch([frame()], base, rng(4));
    const calm = makeTrainingBatch([frame()], { ...base, weather: none }, rng(4));
    expect(Array.from(calm.images)).toEqual(Array.from(plain.images));
  });

  it('a wet road darkens road surfaces only, and puddles only below the horizon', () => {
    const f = frame();
    for (let seed = 0; seed < 20; seed++) {
      const out = wetRoad(f.rgb, f.label.data, rng(seed));
      for (let p = 0; p < W * H; p++) {
        const l = f.label.data[p];
        const same = [0, 1, 2].every((c) => out.data[p * 3 + c] === f.rgb.data[p * 3 + c]);
        if (l !== 6 && l !== 7 && l !== 8) expect(same).toBe(true);
      }
    }
    // Above the horizon (45 % of the height) road is only darkened: one gain in [0.6, 0.85] for the frame.
    const horizon = Math.round(0.45 * H);
    for (let seed = 0; seed < 10; seed++) {
      const out = wetRoad(f.rgb, f.label.data, rng(seed));
      const ratios: number[] = [];
      for (let p = (H / 3) * W; p <= horizon * W; p++) for (let c = 0; c < 3; c++) ratios.push(out.data[p * 3 + c] / f.rgb.data[p * 3 + c]);
      expect(Math.min(...ratios)).toBeGreaterThan(0.58);
      expect(Math.max(...ratios)).toBeLessThan(0.87);
      expect(Math.max(...ratios) - Math.min(...ratios)).toBeLessThan(0.03); // rounding only
    }
  });

  it('places the horizon in the frame, not the crop: a crop above it gets no puddles', () => {
    const f = frame();
    // The same pixels as the top rows of a frame three times as tall: all above its horizon (45 %).
    for (let seed = 0; seed < 10; seed++) {
      const out = wetRoad(f.rgb, f.label.data, rng(seed), { top: 0, height: 3 * H });
      const ratios: number[] = [];
      for (let p = (H / 3) * W; p < (H - 3) * W; p++) for (let c = 0; c < 3; c++) ratios.push(out.data[p * 3 + c] / f.rgb.data[p * 3 + c]);
      expect(Math.max(...ratios) - Math.min(...ratios)).toBeLessThan(0.03);
    }
  });

  it('refuses a label of the wrong size', () => {
    const f = frame();
    expect(() => wetRoad(f.rgb, f.label.data.subarray(1), rng(0))).toThrow(/label has/);
  });

  it('the default draws leave some frames untouched and weather others', () => {
    const f = frame();
    let untouched = 0;
    for (let seed = 0; seed < 200; seed++) if (applyWeather(f.rgb, f.label.data, DEFAULT_WEATHER, rng(seed)) === f.rgb) untouched++;
    // P(no effect) = 0.7 · 0.75 · 0.75 · 0.8 = 0.315
    expect(untouched).toBeGreaterThan(40);
    expect(untouched).toBeLessThan(90);
  });
});

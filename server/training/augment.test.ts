import { describe, expect, it } from 'vitest';
import type { LoadedFrame } from '../dataset/read-dataset.ts';
import { rng } from '../random.ts';
import { DEFAULT_PHOTOMETRIC, makeTrainingBatch } from './augment.ts';

function frame(): LoadedFrame {
  const width = 40;
  const height = 30;
  const rgb = Uint8Array.from({ length: width * height * 3 }, (_, i) => (i * 37) % 256);
  const label = Uint8Array.from({ length: width * height }, (_, i) => (i % 17 === 0 ? 255 : i % 13));
  return { frame: { subset: '', imagePath: 'x.png', labelPath: 'y.png' }, rgb: { width, height, data: rgb }, label: { width, height, data: label } } as LoadedFrame;
}

describe('makeTrainingBatch', () => {
  const base = { cropWidth: 32, cropHeight: 24, flip: true, brightness: 0.2 };

  it('photometric variation changes the pixels and never the labels', () => {
    // One image: its crop and flip are drawn before the photometric parameters, so both batches crop alike.
    const plain = makeTrainingBatch([frame()], base, rng(3));
    const varied = makeTrainingBatch([frame()], { ...base, photometric: DEFAULT_PHOTOMETRIC }, rng(3));
    expect(Array.from(varied.labels)).toEqual(Array.from(plain.labels));
    let changed = 0;
    for (let i = 0; i < plain.images.length; i++) if (plain.images[i] !== varied.images[i]) changed++;
    expect(changed / plain.images.length).toBeGreaterThan(0.5);
  });

  it('zero-strength photometric variation is the identity on the image', () => {
    const zero = { contrast: 0, gamma: 0, colour: 0, noise: 0 };
    const a = makeTrainingBatch([frame()], { ...base, brightness: 0, flip: false }, rng(5));
    const b = makeTrainingBatch([frame()], { ...base, brightness: 0, flip: false, photometric: zero }, rng(5));
    // Same crop position (the crop is drawn first) and the same pixel values.
    expect(Array.from(b.labels)).toEqual(Array.from(a.labels));
    expect(Array.from(b.images)).toEqual(Array.from(a.images));
  });
});

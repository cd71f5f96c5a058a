import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeRgb, decodeLabel } from '../dataset/decode.ts';
import type { LabelMap, RgbImage } from '../dataset/image-types.ts';
import type { Segmentation } from '../inference/segmenter.ts';
import { confusionFromRows } from '../metrics/confusion-matrix.ts';
import { corruptFrame } from './corruptions.ts';
import { scoreCorruptedFrames, type ScoredFrame } from './score-corrupted-frames.ts';

const KEYS = ['000_0021', '000_0022'];

async function frames(): Promise<ScoredFrame[]> {
  return Promise.all(
    KEYS.map(async (k) => {
      const rgbFile = path.resolve(`data/carla-drive/CameraRGB/${k}.jpg`);
      const labelFile = path.resolve(`data/carla-drive/CameraSeg/${k}.png`);
      return { key: k, rgb: await decodeRgb(await readFile(rgbFile), rgbFile), label: await decodeLabel(await readFile(labelFile), labelFile) };
    }),
  );
}

/**
 * A segmenter that answers every frame of a batch with a copy of that frame's ORIGINAL
 * label, taken before scoring, and records what it was shown. Scored against the labels the
 * scorer holds, it is perfect only if those are the untouched ground truth.
 */
function oracle(truth: readonly LabelMap[]) {
  const seen: RgbImage[][] = [];
  const answer = (i: number): Segmentation => ({ label: { ...truth[i], data: truth[i].data.slice() }, latencyMs: 0, backend: 'tfjs-cpu' });
  return {
    seen,
    segmentBatch: async (images: RgbImage[]) => {
      seen.push(images);
      return images.map((_, i) => answer(i));
    },
    segment: async () => {
      throw new Error('frames of one size go through segmentBatch');
    },
  };
}

describe('scoreCorruptedFrames', () => {
  const spec = { corruptions: ['rain', 'gaussian-noise', 'contrast'] as const, severities: [2, 5] };

  it('scores against untouched labels: an oracle of the original labels is perfect under every corruption', async () => {
    const fs = await frames();
    const truth = fs.map((f) => ({ ...f.label, data: f.label.data.slice() }));
    const seg = oracle(truth);
    const out = await scoreCorruptedFrames({ frames: fs, spec: { corruptions: [...spec.corruptions], severities: spec.severities }, segmenter: seg });
    expect(out).toHaveLength(fs.length);
    for (const [j, byCorruption] of out.entries()) {
      for (const c of spec.corruptions) {
        expect(byCorruption[c]).toHaveLength(spec.severities.length);
        for (const rows of byCorruption[c]!) {
          const cm = confusionFromRows(rows);
          let off = 0;
          let total = 0;
          for (let t = 0; t < cm.n; t++) {
            for (let p = 0; p < cm.n; p++) {
              const count = cm.counts[t * cm.n + p];
              total += count;
              if (t !== p) off += count;
            }
          }
          expect(off, `${KEYS[j]} ${c}`).toBe(0);
          expect(total).toBeGreaterThan(0);
        }
      }
      expect(Buffer.compare(Buffer.from(fs[j].label.data), Buffer.from(truth[j].data))).toBe(0);
    }
  });

  it('shows the segmenter the corrupted frames, variant by variant, each equal to corruptFrame of the clean frame', async () => {
    const fs = await frames();
    const clean = fs.map((f) => Buffer.from(f.rgb.data));
    const seg = oracle(fs.map((f) => f.label));
    await scoreCorruptedFrames({ frames: fs, spec: { corruptions: ['rain', 'contrast'], severities: [1, 4] }, segmenter: seg });
    expect(seg.seen).toHaveLength(4);
    let v = 0;
    for (const corruption of ['rain', 'contrast'] as const) {
      for (const severity of [1, 4]) {
        for (const [j, f] of fs.entries()) {
          const expected = await corruptFrame(f.rgb, { corruption, severity, frameKey: f.key });
          expect(Buffer.compare(Buffer.from(seg.seen[v][j].data), Buffer.from(expected.data)), `${corruption} ${severity}`).toBe(0);
        }
        v++;
      }
    }
    fs.forEach((f, j) => expect(Buffer.compare(Buffer.from(f.rgb.data), clean[j])).toBe(0));
  });
});

import type { LabelMap, RgbImage } from '../dataset/image-types.ts';
import { confusionOf, confusionToRows } from '../metrics/confusion-matrix.ts';
import type { Segmentation, Segmenter } from '../inference/segmenter.ts';
import { corruptFrame } from './corruptions.ts';
import type { Corruption, ImageConfusions, RobustnessSpec } from '../schemas/robustness.ts';

export interface ScoredFrame {
  /** Seeds the corruptions: the frame's content hash, so the same frame is corrupted the same way anywhere. */
  key: string;
  rgb: RgbImage;
  /** Ground truth as loaded (ignore policy applied). Read only: compared against, never corrupted. */
  label: LabelMap;
}

/**
 * Segments a batch of frames under every corruption × severity of `spec` and scores each
 * against the frame's own, untouched label: one confusion matrix per (frame, corruption,
 * severity). The next variant is corrupted on this thread while the segmenter (its own
 * thread) runs the current one.
 */
export async function scoreCorruptedFrames(o: {
  frames: readonly ScoredFrame[];
  spec: RobustnessSpec;
  segmenter: Pick<Segmenter, 'segment' | 'segmentBatch'>;
}): Promise<ImageConfusions[]> {
  const { frames, spec, segmenter } = o;
  const variants = spec.corruptions.flatMap((corruption) => spec.severities.map((severity) => ({ corruption, severity })));
  const corrupt = (v: { corruption: Corruption; severity: number }) => Promise.all(frames.map((f) => corruptFrame(f.rgb, { ...v, frameKey: f.key })));
  const sameSize = new Set(frames.map((f) => `${f.rgb.width}x${f.rgb.height}`)).size === 1;
  const segment = (images: RgbImage[]): Promise<Segmentation[]> =>
    sameSize ? segmenter.segmentBatch(images) : Promise.all(images.map((im) => segmenter.segment(im)));
  const out: ImageConfusions[] = frames.map(() => ({}));
  let next = corrupt(variants[0]);
  for (const [i, v] of variants.entries()) {
    const segmented = segment(await next);
    if (i + 1 < variants.length) {
      next = corrupt(variants[i + 1]);
      // Awaited on the next turn; until then a failure must not count as unhandled.
      next.catch(() => {});
    }
    const outputs = await segmented;
    frames.forEach((f, j) => {
      const rows = confusionToRows(confusionOf(f.label.data, outputs[j].label.data));
      (out[j][v.corruption] ??= []).push(rows);
    });
  }
  return out;
}

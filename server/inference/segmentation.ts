import type { LabelMap, RgbImage } from '../dataset/image-types.ts';
import type { BackendName } from './runner.ts';

export interface Segmentation {
  /** Class id per pixel at the input image's own size. */
  label: LabelMap;
  /** Softmax [C, H, W] at the model's input size (only when asked for). */
  probabilities?: Float32Array;
  latencyMs: number;
  backend: BackendName;
}

/**
 * The one way anything in PixelDrive segments an image: evaluation, playground, CLI and
 * bench. Any RGB size in; resized with the training code's preprocessing; a label map at
 * the input's size out, with latency and backend.
 */
export interface Segmenter {
  checkpointDir: string;
  /** Content hash: of the weights for a checkpoint, of file + adapter for an imported model. */
  weightsSha256: string;
  /** Size the network sees a frame at (for an imported model of any size: an 800×600 frame's). */
  inputSize: { width: number; height: number };
  backend: BackendName;
  /** Whether `probabilities` can be asked for: an imported graph returns labels only. */
  providesProbabilities: boolean;
  segment(image: RgbImage, opts?: { probabilities?: boolean }): Promise<Segmentation>;
  /** Several images of one size in one forward pass (batched). */
  segmentBatch(images: RgbImage[], opts?: { probabilities?: boolean }): Promise<Segmentation[]>;
  dispose(): Promise<void>;
}

/**
 * The logits are resized to the label map's size before the argmax, which costs C floats per
 * output pixel: for a 25 MP upload, 1.3 GB that the runtime's arena then keeps. Above
 * MAX_LABEL_PIXELS the argmax runs at a size with the same aspect and at most that many
 * pixels, and the label map is brought to the input's size by nearest neighbour. The network
 * sees 256×192 either way; at 2 MP the label grid is still over 6× finer than the logits.
 * Dataset frames (800×600) are well under the cap: evaluation is unaffected.
 */
export const MAX_LABEL_PIXELS = 2_000_000;

export function labelComputeSize(width: number, height: number): [number, number] {
  if (width * height <= MAX_LABEL_PIXELS) return [width, height];
  const s = Math.sqrt(MAX_LABEL_PIXELS / (width * height));
  return [Math.max(1, Math.floor(width * s)), Math.max(1, Math.floor(height * s))];
}

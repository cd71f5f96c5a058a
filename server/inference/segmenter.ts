import path from 'node:path';
import { readManifest, checkpointSha256 } from '../../models/checkpoint-manifest.ts';
import type { ModelConfig } from '../../models/validate-config.ts';
import { normalizeRgb } from '../../models/preprocess.ts';
import { config, type InferenceBackendChoice } from '../config.ts';
import type { LabelMap, RgbImage } from '../dataset/image-types.ts';
import { resizeLabelNearest, resizeRgbBilinear } from '../dataset/resize.ts';
import { AppError, INTERNAL_USER_MESSAGE } from '../errors.ts';
import { isOnnxModelFolder, readOnnxModelFolder } from '../onnx-import/onnx-model-folder.ts';
import { createImportedSegmenter } from './imported-segmenter.ts';
import { createOnnxRunner } from './onnx-runner.ts';
import { currentOnnxFile } from './onnx-stamp.ts';
import { SerialQueue, type BackendName, type Runner } from './runner.ts';

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
  segment(image: RgbImage, opts?: { probabilities?: boolean }): Promise<Segmentation>;
  /** Several images of one size in one forward pass (batched). */
  segmentBatch(images: RgbImage[]): Promise<Segmentation[]>;
  dispose(): Promise<void>;
}

const cache = new Map<string, Promise<Segmenter>>();

/** Cached per (checkpoint weights, backend): loaded once per process, shared by concurrent callers. */
export async function getSegmenter(checkpointDir: string, backend: InferenceBackendChoice = config.inferenceBackend): Promise<Segmenter> {
  const dir = path.resolve(checkpointDir);
  const imported = isOnnxModelFolder(dir);
  const sha = imported
    ? (await readOnnxModelFolder(dir)).descriptor.identity
    : await checkpointSha256(dir).catch(() => {
        throw new AppError('NOT_FOUND', `${dir}: no checkpoint weights (weights.bin)`, 'The model\'s weights are missing on the server.');
      });
  // Imported models and variants are ONNX graphs: they run on ONNX Runtime whatever the backend choice.
  const key = `${dir}|${sha}|${imported ? 'onnx' : backend}`;
  let s = cache.get(key);
  if (!s) {
    s = imported ? createImportedSegmenter(dir, sha) : createSegmenter(dir, sha, backend);
    cache.set(key, s);
    s.catch(() => cache.delete(key));
  }
  return s;
}

export async function disposeSegmenters(): Promise<void> {
  const all = [...cache.values()];
  cache.clear();
  await Promise.all(all.map(async (p) => (await p.catch(() => null))?.dispose()));
}

async function createSegmenter(dir: string, sha: string, choice: InferenceBackendChoice): Promise<Segmenter> {
  const manifest = await readManifest(dir);
  const cfg = manifest.config;
  const runner = await createRunner(dir, cfg, choice);
  const queue = new SerialQueue();
  const { inputWidth: W, inputHeight: H } = cfg;

  async function runBatch(images: RgbImage[], probabilities: boolean): Promise<Segmentation[]> {
    const { width, height } = images[0];
    if (images.some((im) => im.width !== width || im.height !== height)) throw new Error('segmentBatch: images must share one size');
    const input = new Float32Array(images.length * H * W * 3);
    images.forEach((im, i) => normalizeRgb(resizeRgbBilinear(im, W, H).data, input.subarray(i * H * W * 3, (i + 1) * H * W * 3)));
    const [outW, outH] = labelComputeSize(width, height);
    return queue.run(async () => {
      const t0 = performance.now();
      const out = await runner.run(input, images.length, outH, outW, probabilities);
      const latencyMs = (performance.now() - t0) / images.length;
      const px = outW * outH;
      const chw = cfg.numClasses * H * W;
      return images.map((_, i) => ({
        label: resizeLabelNearest({ width: outW, height: outH, data: out.labels.subarray(i * px, (i + 1) * px) }, width, height),
        probabilities: out.probabilities?.subarray(i * chw, (i + 1) * chw),
        latencyMs,
        backend: runner.backend,
      }));
    });
  }

  return {
    checkpointDir: dir,
    weightsSha256: sha,
    inputSize: { width: W, height: H },
    backend: runner.backend,
    segment: async (image, opts = {}) => (await runBatch([image], opts.probabilities ?? false))[0],
    segmentBatch: (images) => runBatch(images, false),
    dispose: () => runner.dispose(),
  };
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

/**
 * TF.js support (tfjs-node(-gpu), wasm, and exporting ONNX from TF.js weights) is plugged
 * in by processes that load TF.js: the worker, the CLI, tests (server/inference/tfjs-support.ts).
 * The web server does not bundle TF.js; it runs the ONNX graphs that start-up exported.
 */
export interface TfjsSupport {
  /** A runner on tfjs-node(-gpu) when that is installed, else null. */
  nativeRunner(dir: string): Promise<Runner | null>;
  wasmRunner(dir: string): Promise<Runner>;
  ensureOnnx(dir: string): Promise<string>;
}

let tfjsSupport: TfjsSupport | null = null;

export function registerTfjsSupport(support: TfjsSupport): void {
  tfjsSupport = support;
}

async function createRunner(dir: string, cfg: ModelConfig, choice: InferenceBackendChoice): Promise<Runner> {
  if ((choice === 'auto' || choice === 'tfjs-node') && tfjsSupport) {
    const native = await tfjsSupport.nativeRunner(dir);
    if (native) return native;
  }
  if (choice === 'tfjs-node') throw new AppError('INVALID_INPUT', 'backend tfjs-node requested but @tensorflow/tfjs-node(-gpu) is not installed', 'The tfjs-node backend is not installed on this server.');
  if (choice === 'auto' || choice === 'onnx') {
    try {
      const file = tfjsSupport ? await tfjsSupport.ensureOnnx(dir) : currentOnnxFile(dir, await checkpointSha256(dir));
      if (!file) throw new Error(`${dir}: no model.onnx exported from the current weights (npm run cli -- export-onnx --arch all)`);
      return await createOnnxRunner(file, cfg);
    } catch (e) {
      if (choice === 'onnx' || !tfjsSupport) throw e;
      console.warn(`[inference] ONNX Runtime unavailable (${(e as Error).message}); falling back to TF.js wasm`);
    }
  }
  if (!tfjsSupport) throw new AppError('INTERNAL', `TF.js is not loaded in this process; cannot run backend ${choice}`, INTERNAL_USER_MESSAGE);
  return tfjsSupport.wasmRunner(dir);
}

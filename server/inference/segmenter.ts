import path from 'node:path';
import { readManifest, checkpointSha256 } from '../../models/checkpoint-manifest.ts';
import type { ModelConfig } from '../../models/validate-config.ts';
import { normalizeRgb } from '../../models/preprocess.ts';
import { config, type InferenceBackendChoice } from '../config.ts';
import type { RgbImage } from '../dataset/image-types.ts';
import { resizeLabelNearest, resizeRgbBilinear } from '../dataset/resize.ts';
import { AppError, INTERNAL_USER_MESSAGE } from '../errors.ts';
import { LruCache } from '../render/lru-cache.ts';
import { isOnnxModelFolder, readOnnxModelFolder } from '../onnx-import/onnx-model-folder.ts';
import { createImportedSegmenter } from './imported-segmenter.ts';
import { createOnnxRunner } from './onnx-runner.ts';
import { currentOnnxFile, onnxFileName } from './onnx-stamp.ts';
import { SerialQueue, type Runner } from './runner.ts';
import { labelComputeSize, type Segmentation, type Segmenter } from './segmentation.ts';
import type { Tta } from './tta.ts';

export { labelComputeSize, MAX_LABEL_PIXELS, type Segmentation, type Segmenter } from './segmentation.ts';

/**
 * Loaded models kept per process (each holds its weights and an ONNX Runtime session): the
 * three architectures with flip averaging, their variants and a few imported models fit; the
 * least recently used beyond that is released.
 */
const MAX_CACHED_SEGMENTERS = 16;
const cache = new LruCache<string, Promise<Segmenter>>(MAX_CACHED_SEGMENTERS);

/**
 * Cached per (checkpoint weights, backend, test-time augmentation): loaded once per process,
 * shared by concurrent callers, least recently used released beyond MAX_CACHED_SEGMENTERS.
 */
export async function getSegmenter(checkpointDir: string, backend: InferenceBackendChoice = config.inferenceBackend, tta: Tta = 'none'): Promise<Segmenter> {
  const dir = path.resolve(checkpointDir);
  const imported = isOnnxModelFolder(dir);
  const sha = imported
    ? (await readOnnxModelFolder(dir)).descriptor.identity
    : await checkpointSha256(dir).catch(() => {
        throw new AppError('NOT_FOUND', `${dir}: no checkpoint weights (weights.bin)`, "The model's weights are missing on the server.");
      });
  // Their graphs may emit labels only, so there are no scores to average over a mirror image.
  if (imported && tta !== 'none')
    throw new AppError(
      'INVALID_INPUT',
      `${dir}: test-time augmentation of an imported model`,
      "Flip averaging is available for PixelDrive's own checkpoints only, not for imported models or their variants.",
    );
  // Imported models and variants are ONNX graphs: they run on ONNX Runtime whatever the backend choice.
  const key = `${dir}|${sha}|${imported ? 'onnx' : backend}|${tta}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const s = imported ? createImportedSegmenter(dir, sha) : createSegmenter(dir, sha, backend, tta);
  s.catch(() => cache.deleteIf(key, s));
  // dispose() waits for the runs already queued on an evicted model.
  for (const evicted of cache.set(key, s)) void evicted.then((seg) => seg.dispose()).catch(() => {});
  return s;
}

export async function disposeSegmenters(): Promise<void> {
  const all = cache.drain();
  await Promise.all(all.map(async (p) => (await p.catch(() => null))?.dispose()));
}

async function createSegmenter(dir: string, sha: string, choice: InferenceBackendChoice, tta: Tta): Promise<Segmenter> {
  const manifest = await readManifest(dir);
  const cfg = manifest.config;
  const runner = await createRunner(dir, cfg, choice, tta);
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
    providesProbabilities: true,
    segment: async (image, opts = {}) => (await runBatch([image], opts.probabilities ?? false))[0],
    segmentBatch: (images, opts = {}) => runBatch(images, opts.probabilities ?? false),
    dispose: () => queue.run(() => runner.dispose()),
  };
}

/**
 * TF.js support (tfjs-node(-gpu), wasm, and exporting ONNX from TF.js weights) is plugged
 * in by processes that load TF.js: the worker, the CLI, tests (server/inference/tfjs-support.ts).
 * The web server does not bundle TF.js; it runs the ONNX graphs that start-up exported.
 */
interface TfjsSupport {
  /** A runner on tfjs-node(-gpu) when that is installed, else null. */
  nativeRunner(dir: string, tta: Tta): Promise<Runner | null>;
  wasmRunner(dir: string, tta: Tta): Promise<Runner>;
  ensureOnnx(dir: string, tta: Tta): Promise<string>;
}

let tfjsSupport: TfjsSupport | null = null;

export function registerTfjsSupport(support: TfjsSupport): void {
  tfjsSupport = support;
}

async function createRunner(dir: string, cfg: ModelConfig, choice: InferenceBackendChoice, tta: Tta): Promise<Runner> {
  if ((choice === 'auto' || choice === 'tfjs-node') && tfjsSupport) {
    const native = await tfjsSupport.nativeRunner(dir, tta);
    if (native) return native;
  }
  if (choice === 'tfjs-node')
    throw new AppError(
      'INVALID_INPUT',
      'backend tfjs-node requested but @tensorflow/tfjs-node(-gpu) is not installed',
      'The tfjs-node backend is not installed on this server.',
    );
  if (choice === 'auto' || choice === 'onnx') {
    try {
      const file = tfjsSupport ? await tfjsSupport.ensureOnnx(dir, tta) : currentOnnxFile(dir, await checkpointSha256(dir), tta);
      if (!file) throw new Error(`${dir}: no ${onnxFileName(tta)} exported from the current weights (npm run cli -- export-onnx --arch all)`);
      return await createOnnxRunner(file, cfg);
    } catch (e) {
      if (choice === 'onnx' || !tfjsSupport) throw e;
      console.warn(`[inference] ONNX Runtime unavailable (${(e as Error).message}); falling back to TF.js wasm`);
    }
  }
  if (!tfjsSupport) throw new AppError('INTERNAL', `TF.js is not loaded in this process; cannot run backend ${choice}`, INTERNAL_USER_MESSAGE);
  return tfjsSupport.wasmRunner(dir, tta);
}

import type { RgbImage } from '../dataset/image-types.ts';
import { resizeLabelNearest, resizeRgbBilinear } from '../dataset/resize.ts';
import { AppError } from '../errors.ts';
import { adapterInputDims, adapterInputSize, adapterLookup, fillAdapterInput } from '../onnx-import/adapter-input.ts';
import { readOnnxModelFolder } from '../onnx-import/onnx-model-folder.ts';
import { openOnnxSession } from './onnx-runner.ts';
import { SerialQueue } from './runner.ts';
import { labelComputeSize, type Segmentation, type Segmenter } from './segmentation.ts';

/**
 * A segmenter for an imported ONNX model or an int8/fp16 variant (server/onnx-import): the
 * frame is resized to the size its adapter asks for, normalised and laid out as the adapter
 * says, and the runtime graph returns CARLA labels at the label map's size. Resizing, the
 * label-size cap and the final nearest-neighbour step are those of the checkpoint
 * segmenter, so the same network gives the same labels through either path.
 */
export async function createImportedSegmenter(dir: string, identity: string): Promise<Segmenter> {
  const { adapter, runtimeFile } = await readOnnxModelFolder(dir);
  const session = await openOnnxSession(runtimeFile, 0);
  const lut = adapterLookup(adapter);
  const queue = new SerialQueue();
  const fixed = adapter.input.size === 'any' ? null : adapter.input.size;

  async function runBatch(images: RgbImage[]): Promise<Segmentation[]> {
    const { width, height } = images[0];
    if (images.some((im) => im.width !== width || im.height !== height)) throw new Error('segmentBatch: images must share one size');
    const size = adapterInputSize(adapter, width, height);
    const dims = adapterInputDims(adapter, images.length, size);
    const per = size.width * size.height * 3;
    const input = new Float32Array(images.length * per);
    images.forEach((im, i) => fillAdapterInput(adapter, lut, resizeRgbBilinear(im, size.width, size.height).data, input.subarray(i * per, (i + 1) * per)));
    const [outW, outH] = labelComputeSize(width, height);
    return queue.run(async () => {
      const t0 = performance.now();
      const out = await session.run({ images: input, imageDims: dims, outHeight: outH, outWidth: outW, wantLogits: false });
      const latencyMs = (performance.now() - t0) / images.length;
      const px = outW * outH;
      return images.map((_, i) => ({
        label: resizeLabelNearest({ width: outW, height: outH, data: out.labels.subarray(i * px, (i + 1) * px) }, width, height),
        latencyMs,
        backend: 'onnxruntime-cpu' as const,
      }));
    });
  }

  return {
    checkpointDir: dir,
    weightsSha256: identity,
    inputSize: fixed ?? adapterInputSize(adapter, 800, 600),
    backend: 'onnxruntime-cpu',
    providesProbabilities: false,
    segment: async (image, opts = {}) => {
      refuseProbabilities(dir, opts);
      return (await runBatch([image]))[0];
    },
    segmentBatch: async (images, opts = {}) => {
      refuseProbabilities(dir, opts);
      return runBatch(images);
    },
    dispose: () => queue.run(() => session.dispose()),
  };
}

function refuseProbabilities(dir: string, opts: { probabilities?: boolean }): void {
  if (opts.probabilities)
    throw new AppError(
      'INVALID_INPUT',
      `${dir}: class probabilities are not available for imported models`,
      'Class probabilities are not available for imported models.',
    );
}

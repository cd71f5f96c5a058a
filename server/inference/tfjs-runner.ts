import * as tf from '@tensorflow/tfjs';
import type { SegmentationModel } from '../../models/create-model.ts';
import type { BackendName, Runner, RunnerOutput } from './runner.ts';
import type { Tta } from './tta.ts';

/** TF.js: the same logits (flip-averaged for tta 'flip') → bilinear (half-pixel) resize → argmax as the ONNX graph. */
export function createTfjsRunner(model: SegmentationModel, backend: BackendName, tta: Tta = 'none'): Runner {
  const { inputWidth: W, inputHeight: H } = model.config;
  return {
    backend,
    async run(images, n, outH, outW, wantProbabilities): Promise<RunnerOutput> {
      const result = tf.tidy(() => {
        const x = tf.tensor4d(images, [n, H, W, 3]);
        const logits: tf.Tensor4D = tta === 'flip' ? tf.mul(tf.add(model.logits(x), tf.reverse(model.logits(tf.reverse(x, 2)), 2)), 0.5) : model.logits(x);
        const labels = tf.argMax(tf.image.resizeBilinear(logits, [outH, outW], false, true), 3);
        return wantProbabilities ? { labels, probs: tf.transpose(tf.softmax(logits, 3), [0, 3, 1, 2]) } : { labels };
      });
      try {
        const out: RunnerOutput = { labels: Uint8Array.from(await result.labels.data()) };
        if (result.probs) out.probabilities = (await result.probs.data()) as Float32Array;
        return out;
      } finally {
        tf.dispose(result);
      }
    },
    dispose: async () => model.dispose(),
  };
}

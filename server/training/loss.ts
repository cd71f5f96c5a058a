import * as tf from '@tensorflow/tfjs';
import { IGNORE_INDEX } from '../../models/classes.ts';

/**
 * Class-weighted softmax cross-entropy computed FROM LOGITS (log-softmax inside; the
 * model never applies softmax itself). Pixels labelled `IGNORE_INDEX` contribute
 * nothing. Normalised by the summed weights of the counted pixels, so the value is a
 * weighted mean per pixel.
 *
 * logits [N, H, W, C] float, labels [N, H, W] int32 (0..C-1 or 255), weights [C].
 */
export function weightedCrossEntropyFromLogits(logits: tf.Tensor4D, labels: tf.Tensor3D, classWeights: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const c = logits.shape[3];
    const valid = tf.notEqual(labels, IGNORE_INDEX);
    const safe = tf.where(valid, labels, tf.zerosLike(labels));
    // oneHot with an int32 dtype, then cast: wasm's float32 oneHot is wrong in 4.22.
    const onehot = tf.cast(tf.oneHot(safe as tf.Tensor, c, 1, 0, 'int32'), 'float32');
    const nll = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), onehot), 3));
    const w = tf.mul(tf.gather(classWeights, safe.flatten()).reshape(labels.shape), tf.cast(valid, 'float32'));
    return tf.div(tf.sum(tf.mul(nll, w)), tf.maximum(tf.sum(w), 1e-6)) as tf.Scalar;
  });
}

/**
 * The same loss over logits already computed elsewhere (ONNX Runtime, channels first):
 * logits [N, C, HW], labels [N, HW] (255 ignored), weights [C]. Used for validation loss;
 * a test holds it equal to `weightedCrossEntropyFromLogits`.
 */
export function weightedCrossEntropyNchw(logits: Float32Array, labels: ArrayLike<number>, classWeights: ArrayLike<number>, n: number, c: number, hw: number): number {
  let weighted = 0;
  let total = 0;
  for (let b = 0; b < n; b++) {
    const base = b * c * hw;
    for (let p = 0; p < hw; p++) {
      const y = labels[b * hw + p];
      if (y === IGNORE_INDEX) continue;
      let max = -Infinity;
      for (let k = 0; k < c; k++) max = Math.max(max, logits[base + k * hw + p]);
      let sum = 0;
      for (let k = 0; k < c; k++) sum += Math.exp(logits[base + k * hw + p] - max);
      const w = classWeights[y];
      weighted += w * (Math.log(sum) + max - logits[base + y * hw + p]);
      total += w;
    }
  }
  return weighted / Math.max(total, 1e-6);
}

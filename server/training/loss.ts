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

import * as tf from '@tensorflow/tfjs';
import { IGNORE_INDEX } from '../../models/classes.ts';
import type { HardPixelMining, LovaszTerm } from './ingredients.ts';

/**
 * Class-weighted softmax cross-entropy computed FROM LOGITS (log-softmax inside; the
 * model never applies softmax itself). Pixels labelled `IGNORE_INDEX` contribute
 * nothing. Normalised by the summed weights of the counted pixels, so the value is a
 * weighted mean per pixel.
 *
 * logits [N, H, W, C] float, labels [N, H, W] int32 (0..C-1 or 255), weights [C].
 */
export function weightedCrossEntropyFromLogits(
  logits: tf.Tensor4D,
  labels: tf.Tensor3D,
  classWeights: tf.Tensor1D,
  mining?: HardPixelMining,
  lovasz?: LovaszTerm,
): tf.Scalar {
  return tf.tidy(() => {
    const c = logits.shape[3];
    const valid = tf.notEqual(labels, IGNORE_INDEX);
    const safe = tf.where(valid, labels, tf.zerosLike(labels));
    // oneHot with an int32 dtype, then cast: wasm's float32 oneHot is wrong in 4.22.
    const onehot = tf.cast(tf.oneHot(safe as tf.Tensor, c, 1, 0, 'int32'), 'float32');
    const nll = tf.neg(tf.sum(tf.mul(tf.logSoftmax(logits), onehot), 3));
    let w = tf.mul(tf.gather(classWeights, safe.flatten()).reshape(labels.shape), tf.cast(valid, 'float32'));
    if (mining) {
      // The selection is a constant of the step (no gradient through it): read back, decided in
      // JavaScript, and re-entered as a fresh tensor the tape does not connect to the logits.
      const keep = hardPixelMask(nll.dataSync() as Float32Array, valid.dataSync() as Uint8Array, mining);
      w = tf.mul(w, tf.tensor(keep, labels.shape));
    }
    const ce = tf.div(tf.sum(tf.mul(nll, w)), tf.maximum(tf.sum(w), 1e-6)) as tf.Scalar;
    return lovasz ? (tf.add(ce, tf.mul(lovaszTerm(logits, labels), lovasz.weight)) as tf.Scalar) : ce;
  });
}

/**
 * The Lovász-softmax term on the tape. It is piecewise linear in the probabilities with a slope
 * `G` fixed by the sort, so Σ G·p plus a constant has its value and its gradient: G is computed
 * in JavaScript (`lovaszSoftmax`) and enters as a constant, and autodiff carries it through softmax.
 */
function lovaszTerm(logits: tf.Tensor4D, labels: tf.Tensor3D): tf.Scalar {
  const probs = tf.softmax(logits);
  const c = logits.shape[3];
  const p = probs.dataSync() as Float32Array;
  const { loss, dProbs } = lovaszSoftmax(p, labels.dataSync(), c);
  let linear = 0;
  for (let i = 0; i < p.length; i++) linear += dProbs[i] * p[i];
  return tf.add(tf.sum(tf.mul(probs, tf.tensor(dProbs, probs.shape))), loss - linear) as tf.Scalar;
}

/**
 * Lovász-softmax over one batch, channels last: `probs` [P, C], `labels` [P] (255 ignored, and
 * left out). For each class c present in the labels, the errors e_i = |[y_i = c] − p_ic| sorted
 * in decreasing order (ties by pixel index) are weighted by the increments g_i of the Jaccard
 * loss along that order, J_i = 1 − (G − Σ_{j≤i} fg_j) / (G + Σ_{j≤i} (1 − fg_j)), G the class's
 * pixel count; the loss is the mean over present classes of Σ_i e_i·g_i. For a one-hot `probs`
 * it equals the mean of 1 − IoU over those classes. Also returns dLoss/dprobs [P, C].
 * The ORT training graph computes the same with TopK and CumSum (models/ort-train-ops.ts).
 */
export function lovaszSoftmax(probs: Float32Array, labels: ArrayLike<number>, c: number): { loss: number; dProbs: Float32Array } {
  const n = labels.length;
  if (probs.length !== n * c) throw new Error(`probs has ${probs.length} values, expected ${n}×${c}`);
  const valid: number[] = [];
  for (let i = 0; i < n; i++) if (labels[i] !== IGNORE_INDEX) valid.push(i);
  const dProbs = new Float32Array(probs.length);
  const present: number[] = [];
  for (let k = 0; k < c; k++) if (valid.some((i) => labels[i] === k)) present.push(k);
  let loss = 0;
  for (const k of present) {
    const err = Float64Array.from(valid, (i) => Math.abs((labels[i] === k ? 1 : 0) - probs[i * c + k]));
    const order = Array.from(valid.keys()).sort((a, b) => err[b] - err[a] || a - b);
    const gts = valid.reduce((m, i) => m + (labels[i] === k ? 1 : 0), 0);
    let cumFg = 0;
    let cumBg = 0;
    let prevJ = 0;
    for (const r of order) {
      const i = valid[r];
      const fg = labels[i] === k;
      if (fg) cumFg++;
      else cumBg++;
      const j = 1 - (gts - cumFg) / (gts + cumBg);
      const g = (j - prevJ) / present.length;
      prevJ = j;
      loss += err[r] * g;
      dProbs[i * c + k] = fg ? -g : g;
    }
  }
  return { loss, dProbs };
}

/** How many of a batch's pixels mining keeps at least (the TopK of the training graph uses it too). */
export const minKeptPixels = (pixels: number, mining: HardPixelMining) => Math.max(1, Math.floor(pixels * mining.minKeptFraction));

/**
 * The pixels a step learns from under `mining`: counted (valid) pixels whose loss is at least
 * min(−ln threshold, the minKept-th largest loss, ignored pixels counting as −1). The ORT training
 * graph computes the same rule with TopK (models/ort-train-ops.ts).
 */
export function hardPixelMask(nll: Float32Array, valid: ArrayLike<number>, mining: HardPixelMining): Float32Array {
  const losses = Float32Array.from(nll, (v, i) => (valid[i] ? v : -1));
  const k = minKeptPixels(nll.length, mining);
  const kth = Float32Array.from(losses).sort()[losses.length - k];
  const cut = Math.min(kth, Math.fround(-Math.log(mining.threshold)));
  return Float32Array.from(losses, (v, i) => (valid[i] && v >= cut ? 1 : 0));
}

/**
 * The same loss over logits already computed elsewhere (ONNX Runtime, channels first):
 * logits [N, C, HW], labels [N, HW] (255 ignored), weights [C]. Used for validation loss;
 * a test holds it equal to `weightedCrossEntropyFromLogits`.
 */
export function weightedCrossEntropyNchw(
  logits: Float32Array,
  labels: ArrayLike<number>,
  classWeights: ArrayLike<number>,
  n: number,
  c: number,
  hw: number,
): number {
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

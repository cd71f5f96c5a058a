import type { ConfusionMatrix } from './confusion-matrix.ts';

interface ClassMetrics {
  classId: number;
  /** TP / (TP + FP + FN); NaN when the class is absent from both ground truth and prediction. */
  iou: number;
  precision: number;
  recall: number;
  /** Dice = F1 = 2TP / (2TP + FP + FN). */
  dice: number;
  /** Ground-truth pixels of the class. */
  support: number;
  tp: number;
  fp: number;
  fn: number;
}

export interface SegmentationMetrics {
  /** Mean IoU over classes whose IoU is not NaN. */
  miou: number;
  pixelAccuracy: number;
  /** Σ_c freq_c · IoU_c over classes with ground truth. */
  fwIou: number;
  /** Number of classes that entered the mean. */
  classesCounted: number;
  perClass: ClassMetrics[];
}

/**
 * Metrics from one confusion matrix (row = truth, column = prediction). For a run this
 * is the SUMMED matrix over all images: dataset-level IoU, not a mean of per-image IoUs.
 */
export function computeMetrics(cm: ConfusionMatrix): SegmentationMetrics {
  const { n, counts } = cm;
  const rowSum = new Array<number>(n).fill(0);
  const colSum = new Array<number>(n).fill(0);
  let total = 0;
  let diag = 0;
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      const v = counts[r * n + c];
      rowSum[r] += v;
      colSum[c] += v;
      total += v;
    }
    diag += counts[r * n + r];
  }
  const perClass: ClassMetrics[] = [];
  let iouSum = 0;
  let counted = 0;
  let fw = 0;
  for (let k = 0; k < n; k++) {
    const tp = counts[k * n + k];
    const fn = rowSum[k] - tp;
    const fp = colSum[k] - tp;
    const union = tp + fp + fn;
    const iou = union === 0 ? Number.NaN : tp / union;
    if (!Number.isNaN(iou)) {
      iouSum += iou;
      counted++;
    }
    if (total > 0 && rowSum[k] > 0) fw += (rowSum[k] / total) * iou;
    perClass.push({
      classId: k,
      iou,
      precision: tp + fp === 0 ? Number.NaN : tp / (tp + fp),
      recall: tp + fn === 0 ? Number.NaN : tp / (tp + fn),
      dice: union === 0 ? Number.NaN : (2 * tp) / (2 * tp + fp + fn),
      support: rowSum[k],
      tp,
      fp,
      fn,
    });
  }
  return {
    miou: counted === 0 ? Number.NaN : iouSum / counted,
    pixelAccuracy: total === 0 ? Number.NaN : diag / total,
    fwIou: total === 0 ? Number.NaN : fw,
    classesCounted: counted,
    perClass,
  };
}

/** IoU per class only: the hot path of the bootstrap. */
export function classIous(cm: ConfusionMatrix, out = new Float64Array(cm.n)): Float64Array {
  const { n, counts } = cm;
  for (let k = 0; k < n; k++) {
    let row = 0;
    let col = 0;
    for (let j = 0; j < n; j++) {
      row += counts[k * n + j];
      col += counts[j * n + k];
    }
    const tp = counts[k * n + k];
    const union = row + col - tp;
    out[k] = union === 0 ? Number.NaN : tp / union;
  }
  return out;
}

export function meanIgnoringNaN(xs: ArrayLike<number>): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isNaN(xs[i])) {
      s += xs[i];
      c++;
    }
  }
  return c === 0 ? Number.NaN : s / c;
}

import { bootstrapMiou, groupIntoBlocks, type BootstrapResult } from './bootstrap.ts';
import { computeMetrics, type SegmentationMetrics } from './class-metrics.ts';
import { sumConfusions, type ConfusionMatrix } from './confusion-matrix.ts';

interface ImagesSummary {
  /** The summed confusion matrix (dataset-level IoU). */
  total: ConfusionMatrix;
  metrics: SegmentationMetrics;
  /** 95% percentile bootstrap over blocks of `blockSize` consecutive images, 1,000 seeded resamples. */
  boot: BootstrapResult;
}

/**
 * The numbers of a set of images, in time order: what a finished run stores and what a slice of it
 * shows. One function for both, so a slice that is the whole split gives the run's numbers exactly.
 */
export function summarizeImages(perImage: readonly ConfusionMatrix[], blockSize: number): ImagesSummary {
  const total = sumConfusions(perImage);
  return { total, metrics: computeMetrics(total), boot: bootstrapMiou(groupIntoBlocks(perImage, blockSize), { resamples: 1000 }) };
}

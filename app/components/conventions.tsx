import type { IgnorePolicy } from '@/server/schemas/dataset';

export function MetricConventions({ bootstrapUnit, ignorePolicy }: { bootstrapUnit: string; ignorePolicy?: IgnorePolicy }) {
  const policy: Partial<IgnorePolicy> = ignorePolicy ?? {};
  return (
    <section aria-labelledby="conv-h" className="card text-sm text-slate-700">
      <h2 id="conv-h" className="mb-2 font-semibold text-slate-900">
        How these numbers are computed
      </h2>
      <ul className="list-disc space-y-1 pl-5">
        <li>
          <strong>Dataset-level IoU</strong>: one 13×13 confusion matrix summed over every image of the split; IoU = TP / (TP + FP + FN) per class, mIoU = mean
          over classes. Per-image mIoU is shown separately and labelled as such.
        </li>
        <li>
          <strong>NaN policy</strong>: a class absent from both ground truth and prediction has no IoU (—) and is left out of the mean; a class that is only
          predicted scores 0.
        </li>
        <li>
          <strong>Ignored pixels</strong>: label 255, and{' '}
          {policy.hood === 'keep'
            ? 'the own car’s hood is kept'
            : `the own car’s hood (pixels labelled Car in ≥ ${((policy.hoodThreshold ?? 0.95) * 100).toFixed(0)}% of a drive’s frames)`}
          . Evaluation at the labels’ native 800×600.
        </li>
        <li>
          <strong>Uncertainty</strong>: 95% percentile bootstrap, 1,000 seeded resamples of {bootstrapUnit} (consecutive frames are near-duplicates, so they are
          resampled together). Comparisons are paired: both models on the same resampled images.
        </li>
        <li>
          <strong>Safety-weighted error</strong>: mean cost per pixel, each mistake costed by truth × prediction (a pedestrian read as road or unlabeled 10, a
          car 8, a road line 4, any other mistake 1, right 0) and each pixel weighted by its row (0 at the top, 2 at the bottom: closer to the car). Lower is
          better.
        </li>
      </ul>
    </section>
  );
}

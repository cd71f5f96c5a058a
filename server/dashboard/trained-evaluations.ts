import { DEFAULT_EVALUATIONS } from '../evaluation/queue-default-evaluations.ts';

/**
 * A training run's "both numbers": beside the selection mIoU the loop chose on, its checkpoint
 * evaluated on the default targets (drive val, official frames) at the labels' native resolution,
 * as train → evaluate → rank queues them (server/training/queue-trained-evaluations.ts). The
 * Runs page and the Experiments page read them through these two, so they cannot disagree.
 */

/** What to select of a checkpoint's evaluation runs (newest first; test-time augmentation has rows of its own and is left out). */
export const TRAINED_EVALUATIONS_SELECT = {
  where: { tta: 'none' },
  orderBy: { createdAt: 'desc' },
  select: { id: true, status: true, miou: true, split: true, dataset: { select: { name: true } } },
} as const;

interface TrainedEvaluationRow {
  id: string;
  status: string;
  miou: number | null;
  split: string;
  dataset: { name: string };
}

/** The newest evaluation of each default target (null where there is none), from rows selected with TRAINED_EVALUATIONS_SELECT. */
export function trainedEvaluations(rows: readonly TrainedEvaluationRow[] | undefined) {
  return DEFAULT_EVALUATIONS.map((target) => ({
    ...target,
    run: rows?.find((e) => e.dataset.name === target.dataset && e.split === target.split) ?? null,
  }));
}

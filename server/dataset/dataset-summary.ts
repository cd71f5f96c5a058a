import type { IgnorePolicy, LabelForm, LabelPalette, SplitName } from '../schemas/dataset.ts';
import type { ScannedDataset } from './read-dataset.ts';

/** What a dataset is, in the same numbers for `data check --json` and the Datasets page. */
export interface DatasetSummary {
  frames: number;
  splitFrames: Record<SplitName, number>;
  splitFingerprint: string;
  policy: IgnorePolicy;
  /** Pixels per frame ignored as the own car's hood (summed over subsets). */
  hoodPixels: number;
  /** Labelled pixels per class per split, after the ignore policy. */
  classPixels: Record<SplitName, number[]>;
  /** Pixels stored as 255 (ignore) in the label files, per split. */
  voidPixels: Record<SplitName, number>;
  labelForms: Partial<Record<LabelForm, number>>;
  labelPalette: LabelPalette | null;
}

export function hoodPixelsOf(masks: Iterable<Uint8Array | null>): number {
  let n = 0;
  for (const m of masks) if (m) for (let i = 0; i < m.length; i++) n += m[i];
  return n;
}

export function summarizeScan(ds: ScannedDataset): DatasetSummary {
  const splitFrames = { train: 0, val: 0, test: 0 };
  for (const f of ds.frames) splitFrames[f.split]++;
  return {
    frames: ds.frames.length,
    splitFrames,
    splitFingerprint: ds.splitFingerprint,
    policy: ds.policy,
    hoodPixels: hoodPixelsOf(ds.hoodMasks.values()),
    classPixels: ds.classPixels,
    voidPixels: ds.voidPixels,
    labelForms: ds.labelForms,
    labelPalette: ds.labelPalette,
  };
}

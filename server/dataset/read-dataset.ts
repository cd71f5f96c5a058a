import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { NUM_CLASSES } from '../../models/classes.ts';
import { AppError } from '../errors.ts';
import { countClassPixels } from './class-frequencies.ts';
import { decodeLabel, decodeRegisteredLabel, decodeRgb } from './decode.ts';
import type { LabelMap, RgbImage } from './image-types.ts';
import { findPairs, type FramePair } from './find-pairs.ts';
import type { IgnorePolicy } from '../definitions.ts';
import { applyIgnoreMask, computeHoodMask, DEFAULT_IGNORE_POLICY } from './hood-mask.ts';
import { resizeLabelNearest, resizeRgbBilinear } from './resize.ts';
import { assignSplits, DEFAULT_SPLIT, splitFingerprint, type SplitName, type SplitOptions } from './split.ts';

export interface DatasetFrame extends FramePair {
  /** `subset/stem` (or `stem` in the flat layout): unique within the dataset. */
  key: string;
  split: SplitName;
  width: number;
  height: number;
  /** sha256 of image bytes + label bytes. */
  contentHash: string;
  /** Labelled pixels per class after the ignore policy. */
  classPixels: number[];
}

export interface ScannedDataset {
  root: string;
  frames: DatasetFrame[];
  policy: IgnorePolicy;
  /** 0/1 hood mask per subset at label resolution (null when the policy keeps the hood). */
  hoodMasks: Map<string, Uint8Array | null>;
  splitOptions: SplitOptions | 'all-test';
  splitFingerprint: string;
  /** Labelled pixels per class per split, after the ignore policy. */
  classPixels: Record<SplitName, number[]>;
  /** sha256 over all frame hashes: the dataset's identity. */
  contentHash: string;
}

export interface ScanOptions {
  policy?: IgnorePolicy;
  /** Block split for one drive, or every frame in 'test' (a held-out set). */
  split?: SplitOptions | 'all-test';
  onProgress?: (done: number, total: number) => void;
}

/**
 * Reads and validates every frame of a CARLA-layout folder: decodes each label (red
 * channel, 0..12), checks each image decodes at the label's size, derives the hood mask
 * per subset, assigns leakage-safe splits and counts class pixels per split.
 * The first bad file stops the scan with an error that names it.
 */
export async function scanDataset(root: string, opts: ScanOptions = {}): Promise<ScannedDataset> {
  const policy = opts.policy ?? DEFAULT_IGNORE_POLICY;
  const splitOptions = opts.split ?? DEFAULT_SPLIT;
  const pairs = await findPairs(root);
  const labelsBySubset = new Map<string, LabelMap[]>();
  const frames: DatasetFrame[] = [];
  for (const [i, p] of pairs.entries()) {
    const [imgBytes, labelBytes] = await Promise.all([readFile(p.imagePath), readFile(p.labelPath)]);
    const label = await decodeLabel(labelBytes, p.labelPath);
    const meta = await decodeRgb(imgBytes, p.imagePath);
    if (meta.width !== label.width || meta.height !== label.height) {
      throw new AppError(
        'INVALID_DATASET',
        `${p.imagePath}: image is ${meta.width}x${meta.height} but its label ${p.labelPath} is ${label.width}x${label.height}`,
      );
    }
    const list = labelsBySubset.get(p.subset) ?? [];
    list.push(label);
    labelsBySubset.set(p.subset, list);
    const hash = createHash('sha256').update(imgBytes).update(labelBytes).digest('hex');
    const key = p.subset ? `${p.subset}/${p.stem}` : p.stem;
    frames.push({ ...p, key, split: 'train', width: label.width, height: label.height, contentHash: hash, classPixels: [] });
    opts.onProgress?.(i + 1, pairs.length);
  }
  const hoodMasks = new Map<string, Uint8Array | null>();
  for (const [subset, labels] of labelsBySubset) {
    const sizes = new Set(labels.map((l) => `${l.width}x${l.height}`));
    hoodMasks.set(subset, policy.hood === 'ignore' && sizes.size === 1 ? computeHoodMask(labels, policy.hoodThreshold) : null);
  }
  const assignment =
    splitOptions === 'all-test'
      ? new Map(frames.map((f) => [f.key, 'test' as SplitName]))
      : assignSplits(frames.map((f) => ({ key: f.key, subset: f.subset })), splitOptions);
  const classPixels: Record<SplitName, number[]> = {
    train: new Array(NUM_CLASSES).fill(0),
    val: new Array(NUM_CLASSES).fill(0),
    test: new Array(NUM_CLASSES).fill(0),
  };
  const subsetIndex = new Map<string, number>();
  for (const f of frames) {
    f.split = assignment.get(f.key)!;
    const idx = subsetIndex.get(f.subset) ?? 0;
    subsetIndex.set(f.subset, idx + 1);
    const label = applyIgnoreMask(labelsBySubset.get(f.subset)![idx], hoodMasks.get(f.subset) ?? null);
    f.classPixels = countClassPixels([label]);
    f.classPixels.forEach((c, k) => (classPixels[f.split][k] += c));
  }
  const fingerprint =
    splitOptions === 'all-test' ? splitFingerprint(assignment, { blockSize: 0, valEvery: 0 }) : splitFingerprint(assignment, splitOptions);
  return { root, frames, policy, hoodMasks, splitOptions, splitFingerprint: fingerprint, classPixels, contentHash: combineHashes(frames.map((f) => f.contentHash)) };
}

export function combineHashes(hashes: string[]): string {
  const h = createHash('sha256');
  for (const x of hashes) h.update(x);
  return h.digest('hex');
}

/**
 * The dataset's content hash (the one `scanDataset` records) from the files' bytes alone,
 * without decoding them: lets a start-up skip re-scanning a dataset already registered.
 */
export async function datasetContentHash(root: string): Promise<string> {
  const pairs = await findPairs(root);
  const hashes: string[] = [];
  for (const p of pairs) {
    const [a, b] = await Promise.all([readFile(p.imagePath), readFile(p.labelPath)]);
    hashes.push(createHash('sha256').update(a).update(b).digest('hex'));
  }
  return combineHashes(hashes);
}

/** One frame decoded for a model: RGB and label (ignore policy applied), optionally resized. */
export interface LoadedFrame {
  frame: Pick<DatasetFrame, 'subset' | 'imagePath' | 'labelPath'>;
  rgb: RgbImage;
  label: LabelMap;
}

/** Decodes a frame of a dataset already validated by `scanDataset` (registration or training). */
export async function loadFrame(ds: Pick<ScannedDataset, 'hoodMasks'>, frame: Pick<DatasetFrame, 'subset' | 'imagePath' | 'labelPath'>, size?: { width: number; height: number }): Promise<LoadedFrame> {
  const [imgBytes, labelBytes] = await Promise.all([readFile(frame.imagePath), readFile(frame.labelPath)]);
  const [decoded, decodedLabel] = await Promise.all([decodeRgb(imgBytes, frame.imagePath), decodeRegisteredLabel(labelBytes, frame.labelPath)]);
  if (decoded.width !== decodedLabel.width || decoded.height !== decodedLabel.height) {
    throw new AppError('INVALID_DATASET', `${frame.imagePath}: image is ${decoded.width}x${decoded.height} but its label is ${decodedLabel.width}x${decodedLabel.height}`);
  }
  let rgb = decoded;
  let label = applyIgnoreMask(decodedLabel, ds.hoodMasks.get(frame.subset) ?? null);
  if (size) {
    rgb = resizeRgbBilinear(rgb, size.width, size.height);
    label = resizeLabelNearest(label, size.width, size.height);
  }
  return { frame, rgb, label };
}

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { NUM_CLASSES } from '../../models/classes.ts';
import { AppError } from '../errors.ts';
import { meanBrightness } from './brightness.ts';
import { countClassPixels } from './class-frequencies.ts';
import { decodeRegisteredLabel, decodeRgb } from './decode.ts';
import { decodeLabelIds } from './decode-label-ids.ts';
import type { LabelMap, RgbImage } from './image-types.ts';
import { findPairs, type FramePair } from './find-pairs.ts';
import type { IgnorePolicy, LabelForm, LabelPalette, SplitName } from '../schemas/dataset.ts';
import { applyIgnoreMask, CarCounter, countClassPixelsInMask, DEFAULT_IGNORE_POLICY } from './hood-mask.ts';
import { inWindow } from './in-window.ts';
import { resizeLabelNearest, resizeRgbBilinear } from './resize.ts';
import { assignSplits, DEFAULT_SPLIT, splitFingerprint, type SplitOptions } from './split.ts';

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
  /** Pixels stored as 255 (ignore) in the label file. */
  voidPixels: number;
  /** Mean Rec. 601 luma of the image, 0–255 (a slice attribute). */
  meanBrightness: number;
  labelForm: LabelForm;
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
  /** Pixels stored as 255 in the label files, per split. */
  voidPixels: Record<SplitName, number>;
  /** Frames per label form found. */
  labelForms: Partial<Record<LabelForm, number>>;
  /** The colour palette the labels were read in (null: ids stored directly). */
  labelPalette: LabelPalette | null;
  /** sha256 over all frame hashes: the dataset's identity. */
  contentHash: string;
}

/** 'validate' decodes and checks every frame; 'hood' re-reads labels to take the hood out of the per-frame counts. */
export type ScanPhase = 'validate' | 'hood';

export interface ScanOptions {
  policy?: IgnorePolicy;
  /** Block split for one drive, or every frame in 'test' (a held-out set). */
  split?: SplitOptions | 'all-test';
  /** Labels stored in a colour palette (`--palette carla`). */
  palette?: LabelPalette | null;
  onProgress?: (done: number, total: number, phase: ScanPhase) => void;
}

/** Frames in flight at once: enough to keep both cores and the decoders' threads busy, few enough that memory stays flat. */
const SCAN_WINDOW = 4;

/**
 * Reads and validates every frame of a CARLA-layout folder in a bounded window: decodes each
 * label (any accepted form; 0..12, 255 = ignore), checks each image decodes at the label's
 * size, assigns leakage-safe splits from the file names, and keeps only running counts (Car
 * pixels per position for the hood, class pixels per frame), so memory does not grow with
 * the number of frames. The hood is known only after the last frame: a second, label-only
 * pass takes each frame's hood pixels out of its counts. The first bad file stops the scan
 * with an error that names it.
 */
export async function scanDataset(root: string, opts: ScanOptions = {}): Promise<ScannedDataset> {
  const policy = opts.policy ?? DEFAULT_IGNORE_POLICY;
  const splitOptions = opts.split ?? DEFAULT_SPLIT;
  const palette = opts.palette ?? null;
  const pairs = (await findPairs(root)).map((p) => ({ ...p, key: p.subset ? `${p.subset}/${p.stem}` : p.stem }));
  const assignment = splitOptions === 'all-test' ? new Map(pairs.map((f) => [f.key, 'test' as SplitName])) : assignSplits(pairs, splitOptions);
  const cars = new Map<string, CarCounter>();
  const frames = new Array<DatasetFrame>(pairs.length);
  let done = 0;
  await inWindow(pairs.length, SCAN_WINDOW, async (i) => {
    const p = pairs[i];
    const [imgBytes, labelBytes] = await Promise.all([readFile(p.imagePath), readFile(p.labelPath)]);
    const [{ label, form, voidPixels }, image] = await Promise.all([
      decodeLabelIds(labelBytes, p.labelPath, { palette, validate: true }),
      decodeRgb(imgBytes, p.imagePath),
    ]);
    if (image.width !== label.width || image.height !== label.height) {
      throw new AppError(
        'INVALID_DATASET',
        `${p.imagePath}: image is ${image.width}x${image.height} but its label ${p.labelPath} is ${label.width}x${label.height}`,
        `${sizeMismatch(path.basename(p.imagePath), image, label)}.`,
      );
    }
    if (policy.hood === 'ignore') {
      const counter = cars.get(p.subset) ?? new CarCounter();
      cars.set(p.subset, counter);
      counter.add(label);
    }
    const contentHash = createHash('sha256').update(imgBytes).update(labelBytes).digest('hex');
    frames[i] = {
      ...p,
      split: assignment.get(p.key)!,
      width: label.width,
      height: label.height,
      contentHash,
      classPixels: countClassPixels([label]),
      voidPixels,
      meanBrightness: meanBrightness(image),
      labelForm: form,
    };
    opts.onProgress?.(++done, pairs.length, 'validate');
  });

  const hoodMasks = new Map<string, Uint8Array | null>();
  for (const p of pairs) hoodMasks.set(p.subset, cars.get(p.subset)?.mask(policy.hoodThreshold) ?? null);
  const withHood = new Set([...hoodMasks].filter(([, m]) => m?.includes(1)).map(([subset]) => subset));
  const hooded = frames.filter((f) => withHood.has(f.subset));
  done = 0;
  await inWindow(hooded.length, SCAN_WINDOW, async (i) => {
    const f = hooded[i];
    const { label } = await decodeLabelIds(await readFile(f.labelPath), f.labelPath, { palette, validate: false });
    const inHood = countClassPixelsInMask(label, hoodMasks.get(f.subset)!);
    f.classPixels = f.classPixels.map((c, k) => c - inHood[k]);
    opts.onProgress?.(++done, hooded.length, 'hood');
  });

  const perSplit = () => ({ train: 0, val: 0, test: 0 });
  const classPixels: Record<SplitName, number[]> = {
    train: new Array(NUM_CLASSES).fill(0),
    val: new Array(NUM_CLASSES).fill(0),
    test: new Array(NUM_CLASSES).fill(0),
  };
  const voidPixels: Record<SplitName, number> = perSplit();
  const labelForms: Partial<Record<LabelForm, number>> = {};
  for (const f of frames) {
    f.classPixels.forEach((c, k) => (classPixels[f.split][k] += c));
    voidPixels[f.split] += f.voidPixels;
    labelForms[f.labelForm] = (labelForms[f.labelForm] ?? 0) + 1;
  }
  const fingerprint = splitOptions === 'all-test' ? splitFingerprint(assignment, { blockSize: 0, valEvery: 0 }) : splitFingerprint(assignment, splitOptions);
  return {
    root,
    frames,
    policy,
    hoodMasks,
    splitOptions,
    splitFingerprint: fingerprint,
    classPixels,
    voidPixels,
    labelForms,
    labelPalette: palette,
    contentHash: combineHashes(frames.map((f) => f.contentHash)),
  };
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
  const hashes = new Array<string>(pairs.length);
  await inWindow(pairs.length, SCAN_WINDOW, async (i) => {
    const [a, b] = await Promise.all([readFile(pairs[i].imagePath), readFile(pairs[i].labelPath)]);
    hashes[i] = createHash('sha256').update(a).update(b).digest('hex');
  });
  return combineHashes(hashes);
}

/** One frame decoded for a model: RGB and label (ignore policy applied), optionally resized. */
export interface LoadedFrame {
  frame: Pick<DatasetFrame, 'subset' | 'imagePath' | 'labelPath'>;
  rgb: RgbImage;
  label: LabelMap;
}

/** Decodes a frame of a dataset already validated by `scanDataset` (registration or training). */
export async function loadFrame(
  ds: Pick<ScannedDataset, 'hoodMasks' | 'labelPalette'>,
  frame: Pick<DatasetFrame, 'subset' | 'imagePath' | 'labelPath'>,
  size?: { width: number; height: number },
): Promise<LoadedFrame> {
  const [imgBytes, labelBytes] = await Promise.all([readFile(frame.imagePath), readFile(frame.labelPath)]);
  const [decoded, decodedLabel] = await Promise.all([
    decodeRgb(imgBytes, frame.imagePath),
    decodeRegisteredLabel(labelBytes, frame.labelPath, ds.labelPalette),
  ]);
  if (decoded.width !== decodedLabel.width || decoded.height !== decodedLabel.height) {
    throw new AppError(
      'INVALID_DATASET',
      `${frame.imagePath}: ${sizeMismatch('image', decoded, decodedLabel)}`,
      `${sizeMismatch(path.basename(frame.imagePath), decoded, decodedLabel)}.`,
    );
  }
  let rgb = decoded;
  let label = applyIgnoreMask(decodedLabel, ds.hoodMasks.get(frame.subset) ?? null);
  if (size) {
    rgb = resizeRgbBilinear(rgb, size.width, size.height);
    label = resizeLabelNearest(label, size.width, size.height);
  }
  return { frame, rgb, label };
}

function sizeMismatch(name: string, image: { width: number; height: number }, label: { width: number; height: number }): string {
  return `${name} is ${image.width}x${image.height} but its label is ${label.width}x${label.height}`;
}

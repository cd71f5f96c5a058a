import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors.ts';

export interface FramePair {
  /** File stem shared by image and label, e.g. `000_0021`. */
  stem: string;
  /** Subset the frame belongs to: '' for the flat layout, else e.g. `dataA/dataA`. */
  subset: string;
  imagePath: string;
  labelPath: string;
}

const IMAGE_EXT = new Set(['.png', '.jpg', '.jpeg']);
const MAX_DEPTH = 3;

/**
 * Finds every CameraRGB/CameraSeg pair under `root`: the flat layout
 * (`root/CameraRGB`, `root/CameraSeg`) and nested subsets (`root/dataA/dataA/CameraRGB`...).
 * Pairs by file stem; a frame without its partner is an error naming the file, never dropped.
 */
export async function findPairs(root: string): Promise<FramePair[]> {
  const st = await stat(root).catch(() => null);
  if (!st?.isDirectory()) throw new AppError('INVALID_DATASET', `${root}: not a directory`, 'The dataset folder does not exist or is not a folder.');
  const subsetDirs: string[] = [];
  await walk(root, root, 0, subsetDirs);
  if (subsetDirs.length === 0) {
    throw new AppError(
      'INVALID_DATASET',
      `${root}: no CameraRGB/ + CameraSeg/ folders found (looked ${MAX_DEPTH} levels deep)`,
      `The dataset folder has no CameraRGB/ + CameraSeg/ folders (looked ${MAX_DEPTH} levels deep).`,
    );
  }
  const pairs: FramePair[] = [];
  for (const dir of subsetDirs.sort()) {
    const subset = path.relative(root, dir).split(path.sep).join('/');
    const images = await listByStem(root, path.join(dir, 'CameraRGB'));
    const labels = await listByStem(root, path.join(dir, 'CameraSeg'));
    for (const [stem, imagePath] of images) {
      const labelPath = labels.get(stem);
      if (!labelPath)
        throw new AppError(
          'INVALID_DATASET',
          `${imagePath}: no label ${stem}.png in ${path.join(dir, 'CameraSeg')}`,
          `The frame ${inDataset(root, imagePath)} has no label ${stem}.png in CameraSeg/.`,
        );
      if (path.extname(labelPath).toLowerCase() !== '.png') {
        throw new AppError(
          'INVALID_DATASET',
          `${labelPath}: labels must be lossless PNG`,
          `The label ${inDataset(root, labelPath)} is not a PNG; labels must be lossless PNG.`,
        );
      }
      pairs.push({ stem, subset, imagePath, labelPath });
    }
    for (const [stem, labelPath] of labels) {
      if (!images.has(stem))
        throw new AppError(
          'INVALID_DATASET',
          `${labelPath}: no image ${stem}.* in ${path.join(dir, 'CameraRGB')}`,
          `The label ${inDataset(root, labelPath)} has no image ${stem}.* in CameraRGB/.`,
        );
    }
  }
  return pairs.sort((a, b) => (a.subset === b.subset ? a.stem.localeCompare(b.stem) : a.subset.localeCompare(b.subset)));
}

async function walk(root: string, dir: string, depth: number, found: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = new Set(entries.filter((e) => e.isDirectory()).map((e) => e.name));
  if (names.has('CameraRGB') && names.has('CameraSeg')) {
    found.push(dir);
    return;
  }
  if (names.has('CameraRGB') !== names.has('CameraSeg')) {
    const missing = names.has('CameraRGB') ? 'CameraSeg' : 'CameraRGB';
    const has = missing === 'CameraSeg' ? 'CameraRGB' : 'CameraSeg';
    throw new AppError('INVALID_DATASET', `${dir}: has ${has}/ but no ${missing}/`, `The folder ${inDataset(root, dir)} has ${has}/ but no ${missing}/.`);
  }
  if (depth >= MAX_DEPTH) return;
  for (const name of [...names].sort()) {
    if (name.startsWith('.')) continue;
    await walk(root, path.join(dir, name), depth + 1, found);
  }
}

async function listByStem(root: string, dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of (await readdir(dir)).sort()) {
    const ext = path.extname(name).toLowerCase();
    if (!IMAGE_EXT.has(ext)) continue;
    const stem = name.slice(0, -ext.length);
    const prev = out.get(stem);
    if (prev)
      throw new AppError(
        'INVALID_DATASET',
        `${path.join(dir, name)}: duplicate frame stem (also ${prev})`,
        `${inDataset(root, path.join(dir, name))} and ${inDataset(root, prev)} share one frame name.`,
      );
    out.set(stem, path.join(dir, name));
  }
  return out;
}

/** A file as a user names it: relative to the dataset folder, never the server's absolute path. */
function inDataset(root: string, file: string): string {
  return path.relative(root, file).split(path.sep).join('/') || '.';
}

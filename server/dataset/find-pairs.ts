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
  if (!st?.isDirectory()) throw new AppError('INVALID_DATASET', `${root}: not a directory`);
  const subsetDirs: string[] = [];
  await walk(root, 0, subsetDirs);
  if (subsetDirs.length === 0) {
    throw new AppError('INVALID_DATASET', `${root}: no CameraRGB/ + CameraSeg/ folders found (looked ${MAX_DEPTH} levels deep)`);
  }
  const pairs: FramePair[] = [];
  for (const dir of subsetDirs.sort()) {
    const subset = path.relative(root, dir).split(path.sep).join('/');
    const images = await listByStem(path.join(dir, 'CameraRGB'));
    const labels = await listByStem(path.join(dir, 'CameraSeg'));
    for (const [stem, imagePath] of images) {
      const labelPath = labels.get(stem);
      if (!labelPath) throw new AppError('INVALID_DATASET', `${imagePath}: no label ${stem}.png in ${path.join(dir, 'CameraSeg')}`);
      if (path.extname(labelPath).toLowerCase() !== '.png') {
        throw new AppError('INVALID_DATASET', `${labelPath}: labels must be lossless PNG`);
      }
      pairs.push({ stem, subset, imagePath, labelPath });
    }
    for (const [stem, labelPath] of labels) {
      if (!images.has(stem)) throw new AppError('INVALID_DATASET', `${labelPath}: no image ${stem}.* in ${path.join(dir, 'CameraRGB')}`);
    }
  }
  return pairs.sort((a, b) => (a.subset === b.subset ? a.stem.localeCompare(b.stem) : a.subset.localeCompare(b.subset)));
}

async function walk(dir: string, depth: number, found: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = new Set(entries.filter((e) => e.isDirectory()).map((e) => e.name));
  if (names.has('CameraRGB') && names.has('CameraSeg')) {
    found.push(dir);
    return;
  }
  if (names.has('CameraRGB') !== names.has('CameraSeg')) {
    const missing = names.has('CameraRGB') ? 'CameraSeg' : 'CameraRGB';
    throw new AppError('INVALID_DATASET', `${dir}: has ${missing === 'CameraSeg' ? 'CameraRGB' : 'CameraSeg'}/ but no ${missing}/`);
  }
  if (depth >= MAX_DEPTH) return;
  for (const name of [...names].sort()) {
    if (name.startsWith('.')) continue;
    await walk(path.join(dir, name), depth + 1, found);
  }
}

async function listByStem(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of (await readdir(dir)).sort()) {
    const ext = path.extname(name).toLowerCase();
    if (!IMAGE_EXT.has(ext)) continue;
    const stem = name.slice(0, -ext.length);
    const prev = out.get(stem);
    if (prev) throw new AppError('INVALID_DATASET', `${path.join(dir, name)}: duplicate frame stem (also ${prev})`);
    out.set(stem, path.join(dir, name));
  }
  return out;
}

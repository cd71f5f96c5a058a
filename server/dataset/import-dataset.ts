import path from 'node:path';
import { getDb } from '../db.ts';
import { AppError } from '../errors.ts';
import { datasetContentHash, scanDataset, type ScannedDataset } from './read-dataset.ts';
import { classPixelsSchema, ignorePolicySchema, parseJson, splitClassPixelsSchema, type IgnorePolicy } from '../definitions.ts';
import { DEFAULT_SPLIT } from './split.ts';
import { encodeHoodMasks } from './hood-masks-column.ts';

export type DatasetKind = 'drive' | 'heldout';

export interface ImportDatasetOptions {
  root: string;
  name: string;
  /** 'drive': block split into train/val. 'heldout': every frame is test, never trained on. */
  kind: DatasetKind;
  policy?: IgnorePolicy;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Registers a dataset and its images in PostgreSQL. Idempotent by content hash: the same
 * frames imported again change nothing (an existing row is returned). A different
 * dataset under a name already taken is refused.
 */
export async function importDataset(opts: ImportDatasetOptions): Promise<{ id: string; created: boolean; images: number }> {
  const db = getDb();
  const contentHash = await datasetContentHash(opts.root);
  const existing = await db.dataset.findUnique({ where: { contentHash }, include: { _count: { select: { images: true } } } });
  if (existing) return { id: existing.id, created: false, images: existing._count.images };
  const byName = await db.dataset.findUnique({ where: { name: opts.name } });
  if (byName) throw new AppError('CONFLICT', `a different dataset is already registered as "${opts.name}"`);
  const scanned = await scanDataset(opts.root, { policy: opts.policy, split: opts.kind === 'heldout' ? 'all-test' : DEFAULT_SPLIT, onProgress: opts.onProgress });
  return registerScanned(scanned, opts);
}

async function registerScanned(ds: ScannedDataset, opts: ImportDatasetOptions) {
  const db = getDb();
  const rel = path.relative(process.cwd(), path.resolve(ds.root));
  const hoodPixels = [...ds.hoodMasks.values()].reduce((s, m) => s + (m ? m.reduce((a, b) => a + b, 0) : 0), 0);
  const hoodMasks = await encodeHoodMasks(ds);
  return db.$transaction(async (tx) => {
    const row = await tx.dataset.create({
      data: {
        name: opts.name,
        root: rel.startsWith('..') ? path.resolve(ds.root) : rel,
        kind: opts.kind,
        contentHash: ds.contentHash,
        splitFingerprint: ds.splitFingerprint,
        ignorePolicy: parseJson(ignorePolicySchema, ds.policy, `${opts.name} ignore policy`),
        classPixels: parseJson(splitClassPixelsSchema, ds.classPixels, `${opts.name} class pixels`),
        hoodPixels,
        hoodMasks,
      },
    });
    await tx.datasetImage.createMany({
      data: ds.frames.map((f) => ({
        datasetId: row.id,
        key: f.key,
        subset: f.subset,
        split: f.split,
        imagePath: path.relative(path.resolve(ds.root), f.imagePath),
        labelPath: path.relative(path.resolve(ds.root), f.labelPath),
        width: f.width,
        height: f.height,
        contentHash: f.contentHash,
        classPixels: parseJson(classPixelsSchema, f.classPixels, `${f.key} class pixels`),
      })),
      skipDuplicates: true,
    });
    return { id: row.id, created: true, images: ds.frames.length };
  }, { timeout: 60_000 });
}

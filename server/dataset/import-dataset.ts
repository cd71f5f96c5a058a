import path from 'node:path';
import { getDb } from '../db.ts';
import { AppError } from '../errors.ts';
import { quickContentHash, scanDataset, type ScannedDataset } from './read-dataset.ts';
import { classPixelsSchema, hoodMasksSchema, ignorePolicySchema, parseJson, splitClassPixelsSchema, type IgnorePolicy } from '../definitions.ts';
import { DEFAULT_SPLIT } from './split.ts';
import { decodeLabelPng, encodeLabelPng } from './label-png.ts';

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
  const quick = await quickContentHash(opts.root);
  const existing = await db.dataset.findUnique({ where: { contentHash: quick }, include: { _count: { select: { images: true } } } });
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
  const size = new Map(ds.frames.map((f) => [f.subset, { width: f.width, height: f.height }]));
  const hoodMasks: Record<string, string> = {};
  for (const [subset, mask] of ds.hoodMasks) {
    if (!mask) continue;
    const { width, height } = size.get(subset)!;
    hoodMasks[subset] = Buffer.from(await encodeLabelPng({ width, height, data: mask.map((v) => (v ? 255 : 0)) })).toString('base64');
  }
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
        hoodMasks: parseJson(hoodMasksSchema, hoodMasks, `${opts.name} hood masks`),
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

const hoodCache = new Map<string, Map<string, Uint8Array | null>>();

/** The hood masks of a registered dataset, as `loadFrame` wants them (decoded once per process). */
export async function hoodMasksOf(dataset: { hoodMasks: unknown; contentHash?: string }): Promise<Map<string, Uint8Array | null>> {
  const cached = dataset.contentHash ? hoodCache.get(dataset.contentHash) : undefined;
  if (cached) return cached;
  const out = new Map<string, Uint8Array | null>();
  for (const [subset, b64] of Object.entries(parseJson(hoodMasksSchema, dataset.hoodMasks, 'dataset hood masks'))) {
    const m = await decodeLabelPng(Buffer.from(b64, 'base64'));
    out.set(subset, m.data.map((v) => (v ? 1 : 0)));
  }
  if (dataset.contentHash) hoodCache.set(dataset.contentHash, out);
  return out;
}

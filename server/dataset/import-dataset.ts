import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { getDb } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { datasetContentHash, scanDataset, type ScanPhase, type ScannedDataset } from './read-dataset.ts';
import {
  type LabelPalette,
  classPixelsSchema,
  ignorePolicySchema,
  labelFormsSchema,
  labelPaletteSchema,
  splitClassPixelsSchema,
  splitVoidPixelsSchema,
  type IgnorePolicy,
} from '../schemas/dataset.ts';
import { hoodPixelsOf } from './dataset-summary.ts';
import { parseJson } from '../schemas/common.ts';
import { DEFAULT_SPLIT } from './split.ts';
import { encodeHoodMasks } from './hood-masks-column.ts';

export type DatasetKind = 'drive' | 'heldout';

export interface ImportDatasetOptions {
  root: string;
  name: string;
  /** 'drive': block split into train/val. 'heldout': every frame is test, never trained on. */
  kind: DatasetKind;
  policy?: IgnorePolicy;
  /** Labels stored in a colour palette (`--palette carla`). */
  palette?: LabelPalette | null;
  /** Per phase: scanning ('validate', 'hood'), then writing the frames ('register'). */
  onProgress?: (done: number, total: number, phase: ScanPhase | 'register') => void;
}

/** Frame rows per INSERT: one statement for 50,000 frames would be built in memory at once. */
const INSERT_BATCH = 1000;

/**
 * Registers a dataset and its images in PostgreSQL. Idempotent by content hash: the same
 * frames imported again change nothing (an existing row is returned). A different
 * dataset under a name already taken is refused. All rows are written in one transaction:
 * an import stopped at any point leaves no half-registered dataset.
 */
export async function importDataset(opts: ImportDatasetOptions): Promise<{ id: string; created: boolean; images: number }> {
  const db = getDb();
  const contentHash = await datasetContentHash(opts.root);
  const existing = await db.dataset.findUnique({ where: { contentHash }, include: { _count: { select: { images: true } } } });
  if (existing) return { id: existing.id, created: false, images: existing._count.images };
  const byName = await db.dataset.findUnique({ where: { name: opts.name } });
  if (byName)
    throw new AppError(
      'CONFLICT',
      `a different dataset is already registered as "${opts.name}"`,
      `A different dataset is already registered as "${opts.name}".`,
    );
  const scanned = await scanDataset(opts.root, {
    policy: opts.policy,
    split: opts.kind === 'heldout' ? 'all-test' : DEFAULT_SPLIT,
    palette: opts.palette,
    onProgress: opts.onProgress,
  });
  return registerScanned(scanned, opts);
}

async function registerScanned(ds: ScannedDataset, opts: ImportDatasetOptions) {
  const db = getDb();
  const rel = path.relative(process.cwd(), path.resolve(ds.root));
  const hoodPixels = hoodPixelsOf(ds.hoodMasks.values());
  const hoodMasks = await encodeHoodMasks(ds);
  const base = path.resolve(ds.root);
  return db.$transaction(
    async (tx) => {
      const row = await tx.dataset.create({
        data: {
          name: opts.name,
          root: rel.startsWith('..') ? base : rel,
          kind: opts.kind,
          contentHash: ds.contentHash,
          splitFingerprint: ds.splitFingerprint,
          ignorePolicy: parseJson(ignorePolicySchema, ds.policy, `${opts.name} ignore policy`),
          classPixels: parseJson(splitClassPixelsSchema, ds.classPixels, `${opts.name} class pixels`),
          hoodPixels,
          hoodMasks,
          labelPalette: parseJson(labelPaletteSchema, ds.labelPalette, `${opts.name} label palette`),
          labelForms: parseJson(labelFormsSchema, ds.labelForms, `${opts.name} label forms`),
          voidPixels: parseJson(splitVoidPixelsSchema, ds.voidPixels, `${opts.name} 255 pixels`),
        },
      });
      for (let start = 0; start < ds.frames.length; start += INSERT_BATCH) {
        const batch = ds.frames.slice(start, start + INSERT_BATCH);
        // One INSERT over arrays per batch: createMany built ~19 kB of short-lived objects per
        // row, which grew the heap (and peak RSS) with the number of frames.
        await tx.$executeRaw`
          INSERT INTO "DatasetImage" ("id", "datasetId", "key", "subset", "split", "imagePath", "labelPath", "width", "height", "contentHash", "classPixels", "voidPixels", "brightness")
          SELECT u.id, ${row.id}, u.key, u.subset, u.split, u.image_path, u.label_path, u.width, u.height, u.content_hash, u.class_pixels::jsonb, u.void_pixels, u.mean_brightness
          FROM unnest(
            ${batch.map(() => randomUUID())}::text[], ${batch.map((f) => f.key)}::text[], ${batch.map((f) => f.subset)}::text[], ${batch.map((f) => f.split)}::text[],
            ${batch.map((f) => path.relative(base, f.imagePath))}::text[], ${batch.map((f) => path.relative(base, f.labelPath))}::text[],
            ${batch.map((f) => f.width)}::int[], ${batch.map((f) => f.height)}::int[], ${batch.map((f) => f.contentHash)}::text[],
            ${batch.map((f) => JSON.stringify(parseJson(classPixelsSchema, f.classPixels, `${f.key} class pixels`)))}::text[], ${batch.map((f) => f.voidPixels)}::int[], ${batch.map((f) => f.meanBrightness)}::float8[]
          ) AS u(id, key, subset, split, image_path, label_path, width, height, content_hash, class_pixels, void_pixels, mean_brightness)`;
        opts.onProgress?.(start + batch.length, ds.frames.length, 'register');
      }
      return { id: row.id, created: true, images: ds.frames.length };
    },
    // Writing is about a millisecond per frame; the limit only guards against a stuck connection.
    { timeout: 60_000 + 10 * ds.frames.length },
  );
}

import { z } from 'zod';
import { getDb } from '../db/client.ts';
import { parseJson } from '../schemas/common.ts';
import { SPLITS, type SplitName } from '../schemas/dataset.ts';
import { AppError } from '../errors.ts';
import { checkSlice, describeSlice, isWholeSplit, SLICE_KEYS, sliceSchema, type Slice } from './slice.ts';

/** Letters, digits, spaces and `_ . -`: a name that reads well in a URL (`?filter=night-cars`). */
export const savedFilterNameSchema = z
  .string()
  .trim()
  .min(1, 'give the filter a name')
  .max(60, 'at most 60 characters')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} _.-]*$/u, 'letters, digits, spaces, "_", "." and "-" only, starting with a letter or digit');

export interface SavedFilterView {
  id: string;
  name: string;
  dataset: string;
  split: SplitName;
  slice: Slice;
  /** The slice in words. */
  label: string;
  createdAt: Date;
}

const splitSchema = z.enum(SPLITS);

function toView(row: { id: string; name: string; split: string; definition: unknown; createdAt: Date; dataset: { name: string } }): SavedFilterView {
  const slice = parseJson(sliceSchema, row.definition, `saved filter ${row.id} definition`);
  return {
    id: row.id,
    name: row.name,
    dataset: row.dataset.name,
    split: parseJson(splitSchema, row.split, `saved filter ${row.id} split`),
    slice,
    label: describeSlice(slice),
    createdAt: row.createdAt,
  };
}

/**
 * Saves a slice of a dataset split under a name. The slice is checked as the URL's would be
 * (sliceSchema), the dataset must be registered, and the name must be free: any refusal writes
 * nothing. The whole split is refused too: it is already one click away and would only clutter
 * the list.
 */
export async function createSavedFilter({
  name,
  dataset,
  split,
  slice,
}: {
  name: string;
  dataset: string;
  split: SplitName;
  slice: Parameters<typeof checkSlice>[0];
}): Promise<SavedFilterView> {
  const n = savedFilterNameSchema.safeParse(name);
  if (!n.success) throw new AppError('INVALID_INPUT', `saved filter name ${JSON.stringify(name)}`, `Invalid filter name: ${n.error.issues[0].message}.`);
  const parsed = checkSlice(slice);
  if (isWholeSplit(parsed)) throw new AppError('INVALID_INPUT', 'saved filter of the whole split', 'Choose a slice before saving it: this is the whole split.');
  if (!splitSchema.safeParse(split).success)
    throw new AppError('INVALID_INPUT', `saved filter split ${JSON.stringify(split)}`, `No such split: choose one of ${SPLITS.join(', ')}.`);
  const db = getDb();
  const ds = await db.dataset.findUnique({ where: { name: dataset }, select: { id: true } });
  if (!ds) throw new AppError('NOT_FOUND', `saved filter dataset ${JSON.stringify(dataset)}`, `The dataset “${dataset}” is not registered.`);
  const definition = Object.fromEntries(SLICE_KEYS.flatMap((k) => (parsed[k] === undefined ? [] : [[k, parsed[k]]])));
  try {
    const row = await db.savedFilter.create({ data: { name: n.data, datasetId: ds.id, split, definition }, include: { dataset: { select: { name: true } } } });
    return toView(row);
  } catch (e) {
    // The unique index decides between two saves racing for one name.
    if ((e as { code?: string }).code === 'P2002')
      throw new AppError('CONFLICT', `saved filter name ${n.data} taken`, `A filter named “${n.data}” already exists: choose another name or delete it first.`);
    throw e;
  }
}

/** Every saved filter, newest first. */
export async function listSavedFilters(): Promise<SavedFilterView[]> {
  const rows = await getDb().savedFilter.findMany({ include: { dataset: { select: { name: true } } }, orderBy: [{ createdAt: 'desc' }, { name: 'asc' }] });
  return rows.map(toView);
}

/** A saved filter by its id or, failing that, its name (both make deep links). */
export async function getSavedFilterOrThrow(idOrName: string): Promise<SavedFilterView> {
  const db = getDb();
  const include = { dataset: { select: { name: true } } } as const;
  const row =
    (await db.savedFilter.findUnique({ where: { id: idOrName }, include })) ?? (await db.savedFilter.findUnique({ where: { name: idOrName.trim() }, include }));
  if (!row)
    throw new AppError('NOT_FOUND', `saved filter ${JSON.stringify(idOrName)}`, `No saved filter “${idOrName.slice(0, 80)}”: it may have been deleted.`);
  return toView(row);
}

/** Deletes one saved filter; an unknown id (or one deleted meanwhile) is refused, not ignored. */
export async function deleteSavedFilter({ id }: { id: string }): Promise<{ name: string }> {
  const db = getDb();
  const row = await db.savedFilter.findUnique({ where: { id }, select: { name: true } });
  const r = row ? await db.savedFilter.deleteMany({ where: { id } }) : { count: 0 };
  if (!row || r.count === 0) throw new AppError('NOT_FOUND', `saved filter ${id} to delete`, 'That saved filter does not exist (already deleted?).');
  return { name: row.name };
}

/** The leaderboard URL that opens a saved filter. */
export function savedFilterHref(f: Pick<SavedFilterView, 'id'>): string {
  return `/?filter=${encodeURIComponent(f.id)}`;
}

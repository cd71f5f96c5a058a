import { getDb } from '../db/client.ts';
import { AppError } from '../errors.ts';
import {
  hoodMasksSchema,
  ignorePolicySchema,
  labelFormsSchema,
  labelPaletteSchema,
  splitClassPixelsSchema,
  splitVoidPixelsSchema,
  SPLITS,
} from '../schemas/dataset.ts';
import { parseJson } from '../schemas/common.ts';
import type { DatasetSummary } from '../dataset/dataset-summary.ts';

/** Runs listed on a dataset's page (the newest); Runs lists them all. */
export const DATASET_PAGE_RUNS = 50;

/**
 * One dataset as the Datasets page shows it: the same summary `data check --json` prints,
 * where the frames came from, the hood mask(s), a frame to lay a mask over, and its runs.
 */
export async function getDatasetPage({ datasetId }: { datasetId: string }) {
  const db = getDb();
  const d = await db.dataset.findUnique({ where: { id: datasetId } });
  if (!d) throw new AppError('NOT_FOUND', `dataset ${datasetId}`, 'No such dataset.');
  const [counts, sample, runs, runCount] = await Promise.all([
    db.datasetImage.groupBy({ by: ['split'], where: { datasetId }, _count: { _all: true } }),
    db.datasetImage.findFirst({ where: { datasetId }, orderBy: { key: 'asc' }, select: { id: true, key: true, subset: true } }),
    db.evaluationRun.findMany({
      where: { datasetId },
      orderBy: { createdAt: 'desc' },
      // The newest only: with a thousand runs, rendering every row was most of the page's time.
      take: DATASET_PAGE_RUNS,
      select: { id: true, split: true, status: true, miou: true, createdAt: true, checkpoint: { select: { id: true, name: true } } },
    }),
    db.evaluationRun.count({ where: { datasetId } }),
  ]);
  const labelForms = parseJson(labelFormsSchema, d.labelForms, `${d.name} label forms`);
  const splitFrames = Object.fromEntries(SPLITS.map((s) => [s, counts.find((c) => c.split === s)?._count._all ?? 0])) as DatasetSummary['splitFrames'];
  const summary: DatasetSummary = {
    frames: SPLITS.reduce((n, s) => n + splitFrames[s], 0),
    splitFrames,
    splitFingerprint: d.splitFingerprint,
    policy: parseJson(ignorePolicySchema, d.ignorePolicy, `${d.name} ignore policy`),
    hoodPixels: d.hoodPixels,
    classPixels: parseJson(splitClassPixelsSchema, d.classPixels, `${d.name} class pixels`),
    voidPixels: parseJson(splitVoidPixelsSchema, d.voidPixels, `${d.name} 255 pixels`),
    // Registered before label forms were recorded: only red-channel labels were accepted then.
    labelForms: Object.keys(labelForms).length ? labelForms : { 'red-channel': splitFrames.train + splitFrames.val + splitFrames.test },
    labelPalette: parseJson(labelPaletteSchema, d.labelPalette, `${d.name} label palette`),
  };
  const hoodMasks = Object.entries(parseJson(hoodMasksSchema, d.hoodMasks, `${d.name} hood masks`)).map(([subset, b64]) => ({
    subset,
    src: `data:image/png;base64,${b64}`,
  }));
  return { id: d.id, name: d.name, kind: d.kind, root: d.root, contentHash: d.contentHash, createdAt: d.createdAt, summary, hoodMasks, sample, runs, runCount };
}

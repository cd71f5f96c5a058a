import { z } from 'zod';
import { CLASSES } from '@/models/classes';
import { SPLITS } from '@/server/schemas/dataset';
import { AppError } from '@/server/errors';
import { getLeaderboard } from '@/server/dashboard/get-leaderboard';
import { apiRoute, csvResponse, formatQuery } from '@/app/lib/http';

export const dynamic = 'force-dynamic';

const query = z.object({ dataset: z.string().default('carla-drive'), split: z.string().default('val'), format: formatQuery });

export const GET = apiRoute({ query }, async ({ query: { dataset: datasetName, split, format } }) => {
  // An empty 200 reads as "no models yet"; a name that matches nothing is a missing resource.
  if (!(SPLITS as readonly string[]).includes(split))
    throw new AppError('NOT_FOUND', `split ${split}`, `No split "${split}"; the splits are ${SPLITS.join(', ')}.`);
  const board = await getLeaderboard({ datasetName, split });
  if (!board.dataset) throw new AppError('NOT_FOUND', `dataset ${datasetName}`, `No dataset is registered as "${datasetName}".`);
  const rows = board.rows.map((r) => ({
    rank: r.rank,
    model: r.name,
    arch: r.arch,
    source: r.source,
    tta: r.tta,
    fileBytes: r.fileBytes,
    parent: r.parent?.name ?? null,
    vsParent: r.parent?.vs?.difference.estimate ?? null,
    vsParentLow: r.parent?.vs?.difference.low ?? null,
    vsParentHigh: r.parent?.vs?.difference.high ?? null,
    vsParentP: r.parent?.vs?.pValue ?? null,
    runId: r.runId,
    dataset: datasetName,
    split,
    images: r.images,
    miou: r.miou,
    miouLow: r.miouLow,
    miouHigh: r.miouHigh,
    pixelAccuracy: r.pixelAccuracy,
    meanImageMiou: r.meanImageMiou,
    safetyError: r.safetyError,
    safetyErrorLow: r.safetyLow,
    safetyErrorHigh: r.safetyHigh,
    safetyDefaultCost: r.safetyDefaultCost,
    params: r.params,
    gflops: r.gflops,
    latencyMs: r.latencyMs,
    backend: r.backend,
    trainingSeconds: r.trainingSeconds,
    ...Object.fromEntries(CLASSES.map((c) => [`iou_${c.name.replace(/\s+/g, '_')}`, r.perClass[c.id].iou])),
  }));
  if (format === 'csv') return csvResponse(rows, `leaderboard-${datasetName}-${split}.csv`);
  return Response.json({
    dataset: datasetName,
    split,
    rows,
    comparisons: board.comparisons,
    conventions: {
      iou: 'dataset-level confusion matrix',
      nan: 'absent from truth and prediction → excluded',
      ignore: board.dataset?.ignorePolicy,
      bootstrap: board.bootstrapUnit,
    },
  });
});

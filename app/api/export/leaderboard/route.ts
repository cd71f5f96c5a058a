import { CLASSES } from '@/models/classes';
import { getLeaderboard } from '@/server/dashboard/get-leaderboard';
import { errorResponse, toCsv } from '@/app/lib/http';

export const dynamic = 'force-dynamic';

export async function GET(req: Request) {
  const url = new URL(req.url);
  const datasetName = url.searchParams.get('dataset') ?? 'carla-drive';
  const split = url.searchParams.get('split') ?? 'val';
  try {
    const board = await getLeaderboard({ datasetName, split });
    const rows = board.rows.map((r) => ({
      rank: r.rank, model: r.name, arch: r.arch, runId: r.runId, dataset: datasetName, split, images: r.images,
      miou: r.miou, miouLow: r.miouLow, miouHigh: r.miouHigh, pixelAccuracy: r.pixelAccuracy, meanImageMiou: r.meanImageMiou,
      params: r.params, gflops: r.gflops, latencyMs: r.latencyMs, backend: r.backend, trainingSeconds: r.trainingSeconds,
      ...Object.fromEntries(CLASSES.map((c) => [`iou_${c.name.replace(/\s+/g, '_')}`, r.perClass[c.id].iou])),
    }));
    if (url.searchParams.get('format') === 'csv') {
      return new Response(toCsv(rows), { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="leaderboard-${datasetName}-${split}.csv"` } });
    }
    return Response.json({ dataset: datasetName, split, rows, comparisons: board.comparisons, conventions: { iou: 'dataset-level confusion matrix', nan: 'absent from truth and prediction → excluded', ignore: board.dataset?.ignorePolicy, bootstrap: board.bootstrapUnit } });
  } catch (e) {
    return errorResponse(e);
  }
}

import { z } from 'zod';
import { getRunQuality, getRunQualityClassRows } from '@/server/dashboard/get-run-quality';
import { apiRoute, csvResponse, formatQuery, idParams } from '@/app/lib/http';

export const dynamic = 'force-dynamic';

/** Calibration, safety-weighted error, flicker, boundary IoU and small-object recall of one run; `?format=csv`: one row per class. */
export const GET = apiRoute({ params: idParams, query: z.object({ format: formatQuery }) }, async ({ params, query }) => {
  if (query.format === 'csv') return csvResponse(await getRunQualityClassRows(params.id), 'quality-per-class.csv');
  return Response.json(await getRunQuality(params.id));
});

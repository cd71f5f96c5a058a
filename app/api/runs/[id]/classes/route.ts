import { z } from 'zod';
import { getRunClassesForApi } from '@/server/dashboard/run-api';
import { apiRoute, csvResponse, formatQuery, idParams } from '@/app/lib/http';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ params: idParams, query: z.object({ format: formatQuery }) }, async ({ params, query }) => {
  const rows = await getRunClassesForApi(params.id);
  return query.format === 'csv' ? csvResponse(rows, 'per-class.csv') : Response.json({ classes: rows });
});

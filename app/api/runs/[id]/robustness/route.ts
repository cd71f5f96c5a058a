import { z } from 'zod';
import { getRobustnessForApi, robustnessCsvRows } from '@/server/robustness/get-robustness-page';
import { apiRoute, csvResponse, formatQuery, idParams } from '@/app/lib/http';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ params: idParams, query: z.object({ format: formatQuery }) }, async ({ params, query }) => {
  const r = await getRobustnessForApi(params.id);
  return query.format === 'csv' ? csvResponse(robustnessCsvRows(r), 'robustness.csv') : Response.json(r);
});

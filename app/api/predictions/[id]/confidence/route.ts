import { z } from 'zod';
import { getConfidenceMap, renderConfidenceMap } from '@/server/dashboard/confidence-map';
import { apiRoute, idParams, png } from '@/app/lib/http';

export const dynamic = 'force-dynamic';

/** JSON: the image's abstained share and kept-pixel scores at each threshold step; `?format=png`: the per-pixel step map. */
const query = z.object({ format: z.enum(['json', 'png']).catch('json') });

export const GET = apiRoute({ params: idParams, query }, async ({ params, query: { format } }) => {
  if (format === 'png') return png(await renderConfidenceMap(params.id));
  const { width, height, curve, backend } = await getConfidenceMap({ predictionId: params.id });
  return Response.json({ predictionId: params.id, width, height, backend, steps: curve.length, curve });
});

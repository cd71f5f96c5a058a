import { z } from 'zod';
import { renderConfusionCell } from '@/server/compare/render-confusion-cell';
import { apiRoute, idParams, png, widthQuery } from '@/app/lib/http';

export const dynamic = 'force-dynamic';

/** The confusion cell (truth → pred) whose pixels are highlighted; checked against the class range by the use case. */
const query = z.object({ truth: z.coerce.number().int(), pred: z.coerce.number().int(), w: widthQuery });

export const GET = apiRoute({ params: idParams, query }, async ({ params, query: q }) =>
  png(await renderConfusionCell({ predictionId: params.id, truth: q.truth, pred: q.pred, maxWidth: q.w })),
);

import { z } from 'zod';
import { NUM_CLASSES } from '@/models/classes';
import { renderPrediction } from '@/server/render/render-images';
import { apiRoute, idParams, png, widthQuery } from '@/app/lib/http';

export const dynamic = 'force-dynamic';

const query = z.object({
  mode: z.enum(['mask', 'errors']).catch('mask'),
  w: widthQuery,
  /** With mode=errors: only this class's errors. */
  class: z.coerce
    .number()
    .int()
    .min(0)
    .max(NUM_CLASSES - 1)
    .optional()
    .catch(undefined),
});

export const GET = apiRoute({ params: idParams, query }, async ({ params, query: { mode, w, class: classId } }) =>
  png(await renderPrediction(params.id, mode, w, classId)),
);

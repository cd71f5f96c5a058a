import { z } from 'zod';
import { NUM_CLASSES } from '@/models/classes';
import { renderDisagreement } from '@/server/compare/render-disagreement';
import { apiRoute, png, widthQuery } from '@/app/lib/http';

export const dynamic = 'force-dynamic';

const query = z.object({
  a: z.string().min(1),
  b: z.string().min(1),
  image: z.string().min(1),
  /** Only the pixels where the truth or either prediction is this class. */
  class: z.coerce
    .number()
    .int()
    .min(0)
    .max(NUM_CLASSES - 1)
    .optional(),
  w: widthQuery,
});

export const GET = apiRoute({ query }, async ({ query: q }) =>
  png(await renderDisagreement({ a: q.a, b: q.b, imageId: q.image, classId: q.class, maxWidth: q.w })),
);

import { z } from 'zod';
import { renderFlickerFrame } from '@/server/dashboard/render-flicker-frame';
import { apiRoute, idParams, png, widthQuery } from '@/app/lib/http';

export const dynamic = 'force-dynamic';

const imageId = z.string().min(1).max(64);

/** One frame of a flickering segment: the run's mask with the pixels that flicker against `prev` / `next` highlighted. */
const query = z.object({
  image: imageId,
  prev: imageId.optional(),
  next: imageId.optional(),
  /** Only this class's flicker (checked against the class range by the use case). */
  class: z.coerce.number().int().optional(),
  w: widthQuery,
});

export const GET = apiRoute({ params: idParams, query }, async ({ params, query: q }) =>
  png(await renderFlickerFrame({ runId: params.id, imageId: q.image, prevId: q.prev, nextId: q.next, classId: q.class, maxWidth: q.w })),
);

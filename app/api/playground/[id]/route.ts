import { z } from 'zod';
import { renderUploadImage } from '@/server/playground/playground-queries';
import { apiRoute, idParams, png, widthQuery } from '@/app/lib/http';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ params: idParams, query: z.object({ w: widthQuery }) }, async ({ params, query }) =>
  png(await renderUploadImage(params.id, query.w), 'image/jpeg'),
);

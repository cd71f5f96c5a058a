import { z } from 'zod';
import { renderDatasetImage, renderGroundTruth } from '@/server/render/render-images';
import { apiRoute, idParams, png, widthQuery } from '@/app/lib/http';

export const dynamic = 'force-dynamic';

const query = z.object({ kind: z.enum(['gt', 'image']).catch('image'), w: widthQuery });

export const GET = apiRoute({ params: idParams, query }, async ({ params, query: { kind, w } }) =>
  kind === 'gt' ? png(await renderGroundTruth(params.id, w)) : png(await renderDatasetImage(params.id, w), 'image/jpeg'),
);

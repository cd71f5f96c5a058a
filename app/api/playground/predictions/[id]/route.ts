import { z } from 'zod';
import { renderPlaygroundPrediction } from '@/server/playground/playground-queries';
import { apiRoute, idParams, png, widthQuery } from '@/app/lib/http';

export const dynamic = 'force-dynamic';

const query = z.object({ mode: z.enum(['mask', 'errors']).catch('mask'), w: widthQuery });

export const GET = apiRoute({ params: idParams, query }, async ({ params, query: { mode, w } }) => png(await renderPlaygroundPrediction(params.id, mode, w)));

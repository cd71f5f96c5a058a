import { z } from 'zod';
import { renderCorruptedMask } from '@/server/robustness/render-corrupted';
import { apiRoute, png } from '@/app/lib/http';
import { corruptedViewQuery } from '../view-query';

export const dynamic = 'force-dynamic';

const query = corruptedViewQuery.extend({ run: z.string().min(1).max(64) });

export const GET = apiRoute({ query }, async ({ query: q }) =>
  png(await renderCorruptedMask({ runId: q.run, imageId: q.image, corruption: q.corruption, severity: q.severity, maxWidth: q.w })),
);

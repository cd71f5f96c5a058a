import { renderCorruptedFrame } from '@/server/robustness/render-corrupted';
import { apiRoute, png } from '@/app/lib/http';
import { corruptedViewQuery } from '../view-query';

export const dynamic = 'force-dynamic';

export const GET = apiRoute({ query: corruptedViewQuery }, async ({ query: q }) =>
  png(await renderCorruptedFrame({ imageId: q.image, corruption: q.corruption, severity: q.severity, maxWidth: q.w })),
);

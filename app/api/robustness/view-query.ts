import { z } from 'zod';
import { CORRUPTIONS, MAX_SEVERITY } from '@/server/schemas/robustness';
import { widthQuery } from '@/app/lib/http';

/** `?image=&corruption=&severity=&w=` of the corrupted-frame and mask images (a bad value is a 400, never a guess). */
export const corruptedViewQuery = z.object({
  image: z.string().min(1).max(64),
  corruption: z.enum(CORRUPTIONS),
  severity: z.coerce.number().int().min(0).max(MAX_SEVERITY),
  w: widthQuery,
});

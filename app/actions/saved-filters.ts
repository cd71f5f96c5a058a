'use server';

import { z } from 'zod';
import { createSavedFilter, deleteSavedFilter, savedFilterNameSchema } from '@/server/compare/saved-filters';
import { SLICE_KEYS } from '@/server/compare/slice';
import { SPLITS } from '@/server/schemas/dataset';
import { runAction, type ActionResult } from './result';

// The slice's own rules (ranges, a share needs a class) are checked by the use case with
// sliceSchema, in the words the leaderboard uses for a bad URL; here only the shape.
const saveForm = z.object({
  name: savedFilterNameSchema,
  dataset: z.string().min(1).max(200),
  split: z.enum(SPLITS),
  slice: z.partialRecord(z.enum(SLICE_KEYS), z.string().max(40)),
});

export async function saveFilterAction(_prev: unknown, form: FormData): Promise<ActionResult<{ id: string; name: string }>> {
  const slice = Object.fromEntries(
    SLICE_KEYS.flatMap((k) => {
      const v = form.get(k);
      return typeof v === 'string' && v !== '' ? [[k, v]] : [];
    }),
  );
  const input = { name: form.get('name') ?? '', dataset: form.get('dataset'), split: form.get('split'), slice };
  return runAction(
    saveForm,
    input,
    async (d) => {
      const f = await createSavedFilter({ name: d.name, dataset: d.dataset, split: d.split, slice: d.slice });
      return { id: f.id, name: f.name };
    },
    '/',
  );
}

export async function deleteFilterAction(filterId: string): Promise<ActionResult<{ name: string }>> {
  return runAction(z.string().min(1).max(64), filterId, (id) => deleteSavedFilter({ id }), '/');
}

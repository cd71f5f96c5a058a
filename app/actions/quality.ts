'use server';

import { z } from 'zod';
import { setRunCostMatrix } from '@/server/evaluation/set-run-cost-matrix';
import { runAction, type ActionResult } from './result';

const costForm = z.object({
  runId: z.string().min(1).max(64),
  costMatrix: z
    .string()
    .max(20_000)
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be JSON: 13 rows of 13 numbers' });
        return z.NEVER;
      }
    }),
});

export async function setCostMatrixAction(_prev: unknown, form: FormData): Promise<ActionResult<{ error: number | null }>> {
  const input = Object.fromEntries(form);
  return runAction(costForm, input, async (d) => ({ error: (await setRunCostMatrix(d)).error.estimate }), `/runs/${String(input.runId ?? '')}/quality`);
}

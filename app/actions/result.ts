import { revalidatePath } from 'next/cache';
import type { z } from 'zod';
import { AppError, INTERNAL_USER_MESSAGE, type AppErrorCode } from '@/server/errors';

/** What every server action returns: data, or a code and a message safe to show. */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; code: AppErrorCode | 'VALIDATION'; message: string; fieldErrors?: Record<string, string[]> };

function validationError(error: z.ZodError): ActionResult<never> {
  const fieldErrors: Record<string, string[]> = {};
  for (const i of error.issues) (fieldErrors[i.path.join('.') || 'form'] ??= []).push(i.message);
  return { ok: false, code: 'VALIDATION', message: 'Some fields are not valid.', fieldErrors };
}

/** Maps a thrown error to a user-facing result; unknown errors never leak their message. */
function failure(e: unknown): ActionResult<never> {
  if (e instanceof AppError) return { ok: false, code: e.code, message: e.userMessage };
  console.error(e);
  return { ok: false, code: 'INTERNAL', message: `${INTERNAL_USER_MESSAGE} Please try again.` };
}

/** The order every action follows: parse → one use case → revalidate → typed result. */
export async function runAction<S extends z.ZodType, T>(
  schema: S,
  input: unknown,
  call: (data: z.infer<S>) => Promise<T>,
  revalidate: string,
): Promise<ActionResult<T>> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) return validationError(parsed.error);
  try {
    const data = await call(parsed.data);
    revalidatePath(revalidate);
    return { ok: true, data };
  } catch (e) {
    return failure(e);
  }
}

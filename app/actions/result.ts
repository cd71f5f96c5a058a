import type { z } from 'zod';
import { AppError, type AppErrorCode } from '@/server/errors';

/** What every server action returns: data, or a code and a message safe to show. */
export type ActionResult<T> = { ok: true; data: T } | { ok: false; code: AppErrorCode | 'VALIDATION'; message: string; fieldErrors?: Record<string, string[]> };

export function validationError(error: z.ZodError): ActionResult<never> {
  const fieldErrors: Record<string, string[]> = {};
  for (const i of error.issues) (fieldErrors[i.path.join('.') || 'form'] ??= []).push(i.message);
  return { ok: false, code: 'VALIDATION', message: 'Some fields are not valid.', fieldErrors };
}

/** Maps a thrown error to a user-facing result; unknown errors never leak their message. */
export function failure(e: unknown): ActionResult<never> {
  if (e instanceof AppError) return { ok: false, code: e.code, message: e.userMessage };
  console.error(e);
  return { ok: false, code: 'INTERNAL', message: 'Something went wrong on the server. Please try again.' };
}

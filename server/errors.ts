/**
 * Domain errors. Code throws `AppError`; the web layer maps `code` to what the
 * user sees and never forwards raw messages or stacks to the browser.
 */
export type AppErrorCode =
  | 'INVALID_INPUT'
  | 'INVALID_DATASET'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'BUSY'
  | 'UNSUPPORTED_MEDIA'
  | 'TOO_LARGE'
  | 'INTERNAL';

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** Safe to show to an end user. */
  readonly userMessage: string;

  constructor(code: AppErrorCode, message: string, userMessage?: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.userMessage = userMessage ?? message;
  }
}

export const HTTP_STATUS: Record<AppErrorCode, number> = {
  INVALID_INPUT: 400,
  INVALID_DATASET: 422,
  NOT_FOUND: 404,
  CONFLICT: 409,
  BUSY: 503,
  UNSUPPORTED_MEDIA: 415,
  TOO_LARGE: 413,
  INTERNAL: 500,
};

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

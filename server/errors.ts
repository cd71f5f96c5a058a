/**
 * The project's two kinds of expected error. Domain code throws `AppError`; the web layer maps
 * `code` to what the user sees and never forwards raw messages or stacks to the browser. A
 * process that cannot start throws `StartupError` (below), printed as its one failure line.
 */
export type AppErrorCode =
  'INVALID_INPUT' | 'INVALID_DATASET' | 'NOT_FOUND' | 'UNAUTHORIZED' | 'FORBIDDEN' | 'CONFLICT' | 'BUSY' | 'UNSUPPORTED_MEDIA' | 'TOO_LARGE' | 'INTERNAL';

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** Safe to show to an end user. */
  readonly userMessage: string;

  /**
   * `message` is for the log and the CLI (paths, library text); `userMessage` is all a browser,
   * an API client or a run's stored error ever sees, so it is required: no default falls back
   * to the internal text.
   */
  constructor(code: AppErrorCode, message: string, userMessage: string) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.userMessage = userMessage;
  }
}

/** What a client sees for anything that is not an AppError. */
export const INTERNAL_USER_MESSAGE = 'Something went wrong on the server.';

/**
 * The one mapping from a thrown value to the text a user may read (responses, actions,
 * `run.error`); whatever else the error carries belongs in the log.
 */
export function userMessageOf(e: unknown, fallback = INTERNAL_USER_MESSAGE): string {
  return e instanceof AppError ? e.userMessage : fallback;
}

/** A run's stored reason when the cause was internal: where an operator finds the rest. */
export const INTERNAL_RUN_FAILURE = 'an internal error stopped it (the worker log has the details).';

export const HTTP_STATUS: Record<AppErrorCode, number> = {
  INVALID_INPUT: 400,
  INVALID_DATASET: 422,
  NOT_FOUND: 404,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  CONFLICT: 409,
  BUSY: 503,
  UNSUPPORTED_MEDIA: 415,
  TOO_LARGE: 413,
  INTERNAL: 500,
};

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/**
 * An expected reason why a process cannot start (port in use, already running, data folder
 * from another PostgreSQL, disk full…). Its message is one complete line that says what
 * happened and what to do; it is printed as is, without a stack.
 */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

export function isStartupError(e: unknown): e is StartupError {
  return e instanceof StartupError;
}

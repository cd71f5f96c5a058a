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

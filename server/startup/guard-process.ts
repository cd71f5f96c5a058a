import path from 'node:path';
import { reportFailure } from './report-failure.ts';

/**
 * Imported first by an entry point (`npm run cli`, `npm run worker`): ES modules are evaluated
 * in import order, so these handlers are in place before any later import can throw while it
 * loads (server/config.ts refusing an invalid environment), and such a failure, like any
 * escaped error, ends in one line and exit code 1 instead of a stack.
 */
export function guardProcess(what: string, prefix: string): void {
  const fail = (e: unknown) => {
    reportFailure(e, { what, logDir: path.resolve('.pixeldrive/logs'), prefix });
    process.exit(1);
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
}

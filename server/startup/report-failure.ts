import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { shownPath } from './shown-path.ts';
import { isStartupError } from '../errors.ts';

/** File-system errors a user can fix, and what to do about each. */
const DISK_ERRORS: Record<string, string> = {
  ENOSPC: 'the disk is full: free some space and start again',
  EDQUOT: 'the disk quota is used up: free some space and start again',
  EROFS: 'the file system is read-only: put the checkout (or PIXELDRIVE_PG_DIR) on a writable disk',
};

/** The one line for an expected condition, or null when the error is a bug or something unforeseen. */
export function expectedFailureLine(e: unknown): string | null {
  if (isStartupError(e)) return e.message;
  const err = e as NodeJS.ErrnoException & { address?: string; port?: number };
  if (err?.code && DISK_ERRORS[err.code]) return `cannot write ${err.path ? shownPath(err.path) : 'a file'}: ${DISK_ERRORS[err.code]}`;
  if (err?.code === 'ECONNREFUSED' && err.port)
    return `cannot reach PostgreSQL at ${err.address ?? '127.0.0.1'}:${err.port} (connection refused): start it (npm start in this folder starts the embedded one), or set DATABASE_URL to one that runs`;
  return null;
}

/**
 * Prints one line for a failed start and returns it. Expected conditions print their own line;
 * anything else keeps its stack in a log file whose path is printed, so nobody has to rerun a
 * failure to see where it came from.
 */
export function reportFailure(e: unknown, opts: { what: string; logDir: string; prefix?: string }): string {
  const prefix = opts.prefix ?? '';
  const expected = expectedFailureLine(e);
  if (expected) {
    console.error(prefix + expected);
    return expected;
  }
  const log = writeFailureLog(e, opts);
  const message = String((e as Error)?.message ?? e).split('\n')[0];
  const line = `${opts.what} failed unexpectedly: ${message} (details in ${log ?? 'no log file: nothing writable'})`;
  console.error(prefix + line);
  return line;
}

function writeFailureLog(e: unknown, opts: { what: string; logDir: string }): string | null {
  const name = `${opts.what.replace(/\W+/g, '-')}-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}.log`;
  const body = [
    `${new Date().toISOString()} ${opts.what} failed`,
    `cwd: ${process.cwd()}`,
    `argv: ${process.argv.join(' ')}`,
    `node ${process.version} on ${os.platform()}-${os.arch()}`,
    '',
    inspect(e, { depth: 6 }),
    '',
  ].join('\n');
  for (const dir of [opts.logDir, os.tmpdir()]) {
    try {
      // Private: a failure's details may quote paths, queries and configuration.
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const file = path.join(dir, name);
      writeFileSync(file, body, { mode: 0o600 });
      return shownPath(file);
    } catch {
      // The log folder itself may sit on the full or read-only disk: fall back to the system's temp folder.
    }
  }
  return null;
}

import { inspect } from 'node:util';
import pg from 'pg';
import { databaseUrlOrThrow } from '../config.ts';
import { perProcess } from '../per-process.ts';

/**
 * What a process does while its database is away (restarted by `npm start` after a crash, or
 * any PostgreSQL going down for a moment). The worker and the CLI wait a minute, so a run in
 * flight finishes as if nothing had happened. The web server waits a few seconds: a page being
 * rendered when the database died is answered once it is back (a new request gets the proxy's
 * 503 meanwhile, database-status.ts), and a connection left over from before is replaced.
 */
const DEFAULT_PATIENCE_MS = 10_000;

/**
 * Errors that say the server went away or is not accepting connections yet, whatever layer (pg,
 * adapter, Prisma) wrapped them; with Prisma's "Unable to start a transaction in the given time",
 * which is how a batch transaction reports a database that did not come back within its 2 s.
 */
const UNAVAILABLE =
  /Unable to start a transaction in the given time|ECONNREFUSED|ECONNRESET|EPIPE|Connection terminated|DatabaseNotReachable|ConnectionClosed|57P0[123]|the database system is (?:starting up|in recovery mode|shutting down|not yet accepting connections)|terminating connection (?:due to|because of)|Can't reach database server|Server has closed the connection|P1001|P1017/;
/** Of those, the ones raised before a statement could reach a server: repeating that statement is always safe. */
const NEVER_SENT =
  /ECONNREFUSED|Client has encountered a connection error and is not queryable|DatabaseNotReachable|57P03|the database system is (?:starting up|in recovery mode|not yet accepting connections)|Can't reach database server|P1001/;

/**
 * Statements that change nothing if cut off and run again: a read, and the start of a transaction
 * (a transaction that failed to begin holds nothing; its statements run only after it began).
 */
const HARMLESS_TWICE = /^\s*(?:SELECT|BEGIN)\b/i;

const describe = (e: unknown) => (e instanceof Error ? `${e.message} ${inspect(e, { depth: 5 })}` : String(e));

export function isDatabaseUnavailable(e: unknown): boolean {
  return UNAVAILABLE.test(describe(e));
}

function neverSent(e: unknown): boolean {
  return NEVER_SENT.test(describe(e));
}

const patience = perProcess('OutagePatience', () => ({ ms: DEFAULT_PATIENCE_MS }));

/** From now on this process's queries wait up to `ms` for the database to come back (the worker, the CLI). */
export function waitOutDatabaseOutages(ms: number): void {
  patience.ms = ms;
}

/**
 * Runs one statement, repeating it while the database is away, within the process's patience:
 * any statement that never reached a server, and a SELECT or BEGIN cut off mid-way (HARMLESS_TWICE)
 * (a pooled connection that died while idle fails the next statement it is given). A write cut off mid-way is not repeated here (it may have committed): it fails,
 * and the job that made it is run again once the database is back (start-worker.ts); every job
 * is safe to repeat.
 */
export async function patiently<T>(run: () => Promise<T>, sql: string | null): Promise<T> {
  const ms = patience.ms;
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await run();
    } catch (e) {
      const again = ms > 0 && Date.now() < end && (neverSent(e) || (sql !== null && HARMLESS_TWICE.test(sql) && isDatabaseUnavailable(e)));
      if (!again) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** Resolves once the database answers a query again; rejects after `timeoutMs`. */
export async function waitForDatabase(timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const c = new pg.Client({ connectionString: databaseUrlOrThrow(), connectionTimeoutMillis: 2000 });
    c.on('error', () => {});
    try {
      await c.connect();
      await c.query('SELECT 1');
      return;
    } catch (e) {
      if (Date.now() > end) throw e;
    } finally {
      await c.end().catch(() => {});
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

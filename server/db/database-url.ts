import { rm } from 'node:fs/promises';
import { config } from '../config.ts';
import { readRunningInstance } from '../startup/running-instance.ts';
import { startEmbeddedPostgres, type EmbeddedDb } from './embedded-postgres.ts';
import { passwordFile, readPassword } from './password-file.ts';

/**
 * The database URL of the `npm start` running on this data folder, password included, for a CLI
 * command or a worker that joins it; null when none runs. The record itself holds no password.
 */
export function runningDatabaseUrl(pgDir: string): string | null {
  const recorded = readRunningInstance(pgDir)?.databaseUrl;
  if (!recorded) return null;
  const url = new URL(recorded);
  const password = readPassword(passwordFile(pgDir));
  if (!url.password && password) url.password = password;
  return url.toString();
}

export interface ResolvedDatabase {
  url: string;
  /** The server started for this process, which its caller stops; null when the database was given or joined. */
  embedded: EmbeddedDb | null;
}

type EmbeddedStart = Parameters<typeof startEmbeddedPostgres>[0] & { fresh?: boolean };
interface ResolveOptions {
  given: string | undefined;
  join?: boolean;
  start?: EmbeddedStart;
}

/**
 * The one answer to "which PostgreSQL does this process use", tried in this order:
 * 1. `given`, the URL it was configured with (DATABASE_URL; for the test tier
 *    PIXELDRIVE_TEST_DATABASE_URL, so that tests never write into the product's database);
 * 2. with `join`, the embedded database of the `npm start` running on this folder (the worker
 *    and the CLI; its port may not be the default one);
 * 3. with `start`, an embedded server started for this process (`fresh`: on an emptied folder).
 * Null when none of them applies. The caller points DATABASE_URL at the answer where the Prisma
 * client or pg-boss need it (setDatabaseUrl in server/config.ts).
 */
export async function resolveDatabase(opts: ResolveOptions & { start: EmbeddedStart }): Promise<ResolvedDatabase>;
export async function resolveDatabase(opts: ResolveOptions): Promise<ResolvedDatabase | null>;
export async function resolveDatabase(opts: ResolveOptions): Promise<ResolvedDatabase | null> {
  if (opts.given) return { url: opts.given, embedded: null };
  const running = opts.join ? runningDatabaseUrl(config.embeddedPgDir) : null;
  if (running) return { url: running, embedded: null };
  if (!opts.start) return null;
  const { fresh, ...start } = opts.start;
  if (fresh) await rm(start.dir, { recursive: true, force: true });
  const embedded = await startEmbeddedPostgres(start);
  return { url: embedded.url, embedded };
}

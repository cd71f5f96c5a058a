import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The migrated database every integration test file's own database is copied from. */
export const TEMPLATE_DATABASE = 'pixeldrive_template';

/**
 * How tests create databases. The app role (DATABASE_URL) may not (server/db/least-privilege.ts),
 * so the embedded server's superuser does it over its socket and hands each database to the app
 * role; with PIXELDRIVE_TEST_DATABASE_URL the URL's own role must be allowed to.
 */
export interface TestDatabaseAdmin {
  connection: pg.ClientConfig;
  /** The role that owns the databases tests use (null: whoever creates them). */
  owner: string | null;
}

/** The same server URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function asAdmin(admin: TestDatabaseAdmin, sql: string[]): Promise<void> {
  const c = new pg.Client({ ...admin.connection, database: 'postgres' });
  await c.connect();
  try {
    for (const q of sql) await c.query(q);
  } finally {
    await c.end();
  }
}

export const ownerClause = (admin: TestDatabaseAdmin) => (admin.owner ? ` OWNER ${admin.owner}` : '');

/**
 * Creates a fresh database for one test file, copied from the migrated template (a file copy
 * of a few MB: milliseconds, not the seconds the migrations take), and returns its URL.
 */
export async function createFileDatabase(serverUrl: string, admin: TestDatabaseAdmin): Promise<string> {
  const name = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await asAdmin(admin, [`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE}${ownerClause(admin)} STRATEGY FILE_COPY`]);
  return withDatabase(serverUrl, name);
}

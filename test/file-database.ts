import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The migrated database every integration test file's own database is copied from. */
export const TEMPLATE_DATABASE = 'pixeldrive_template';

/** The same server URL with another database name. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Creates a fresh database for one test file, copied from the migrated template (a file copy
 * of a few MB: milliseconds, not the seconds the migrations take), and returns its URL.
 */
export async function createFileDatabase(serverUrl: string): Promise<string> {
  const name = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DATABASE} STRATEGY FILE_COPY`);
  } finally {
    await admin.end();
  }
  return withDatabase(serverUrl, name);
}

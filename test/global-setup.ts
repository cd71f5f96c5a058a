import { rm } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDb } from '../server/db/embedded-postgres.ts';
import { applyMigrations } from '../server/db/migrate.ts';
import { config } from '../server/config.ts';

let db: EmbeddedDb | null = null;

/**
 * Unit and integration tests get a real PostgreSQL of their own: a throw-away embedded
 * server on its own port, or PIXELDRIVE_TEST_DATABASE_URL (never DATABASE_URL, so tests
 * cannot write into the database the product uses).
 */
export async function setup(): Promise<void> {
  process.env.DATABASE_URL = config.testDatabaseUrl ?? '';
  if (!process.env.DATABASE_URL) {
    const dir = path.resolve('.pixeldrive/pgdata-test');
    await rm(dir, { recursive: true, force: true });
    db = await startEmbeddedPostgres({ dir, port: config.testPgPort });
    process.env.DATABASE_URL = db.url;
  }
  await applyMigrations(process.env.DATABASE_URL!);
}

export async function teardown(): Promise<void> {
  await db?.stop();
}

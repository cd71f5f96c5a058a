import { rm } from 'node:fs/promises';
import path from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDb } from '../server/db/embedded-postgres.ts';
import { applyMigrations } from '../server/db/migrate.ts';

let db: EmbeddedDb | null = null;

/**
 * Unit and integration tests get a real PostgreSQL: DATABASE_URL if the caller set one
 * (its data is NOT dropped), else a throw-away embedded server on its own port.
 */
export async function setup(): Promise<void> {
  if (!process.env.DATABASE_URL) {
    const dir = path.resolve('.pixeldrive/pgdata-test');
    await rm(dir, { recursive: true, force: true });
    db = await startEmbeddedPostgres({ dir, port: Number(process.env.PIXELDRIVE_TEST_PG_PORT ?? 54349) });
    process.env.DATABASE_URL = db.url;
  }
  await applyMigrations(process.env.DATABASE_URL!);
}

export async function teardown(): Promise<void> {
  await db?.stop();
}

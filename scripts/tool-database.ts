import path from 'node:path';
import { config } from '../server/config.ts';
import { startEmbeddedPostgres } from '../server/db/embedded-postgres.ts';

/** Runs `fn` against DATABASE_URL, or against a private embedded PostgreSQL started for it. */
export async function withToolDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  if (process.env.DATABASE_URL) return fn(process.env.DATABASE_URL);
  const db = await startEmbeddedPostgres({ dir: path.resolve('.pixeldrive/pgdata-tools'), port: config.toolsPgPort });
  try {
    return await fn(db.url);
  } finally {
    await db.stop();
  }
}

import path from 'node:path';
import { config, databaseUrl } from '../server/config.ts';
import { resolveDatabase } from '../server/db/database-url.ts';

/** Runs `fn` against DATABASE_URL, or against a private embedded PostgreSQL started for it. */
export async function withToolDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const database = await resolveDatabase({ given: databaseUrl(), start: { dir: path.resolve('.pixeldrive/pgdata-tools'), port: config.toolsPgPort } });
  try {
    return await fn(database.url);
  } finally {
    await database.embedded?.stop();
  }
}

import { config, databaseUrl, setDatabaseUrl } from '../../server/config.ts';
import { applyMigrations } from '../../server/db/migrate.ts';
import { disconnectDb } from '../../server/db/client.ts';
import { waitOutDatabaseOutages } from '../../server/db/database-outage.ts';
import { resolveDatabase } from '../../server/db/database-url.ts';

/**
 * Gives a CLI command a database: DATABASE_URL if set; else the embedded one of a running
 * `npm start` in this folder (from its record: the port may not be the default one); else
 * starts the embedded server itself for the command's lifetime. Migrations are applied either way.
 */
export async function withCliDatabase<T>(fn: () => Promise<T>): Promise<T> {
  const database = await resolveDatabase({ given: databaseUrl(), join: true, start: { dir: config.embeddedPgDir, port: config.embeddedPgPort } });
  setDatabaseUrl(database.url);
  // A long command (eval, train) sits out a restart of the database by npm start.
  waitOutDatabaseOutages(60_000);
  try {
    await applyMigrations(database.url);
    return await fn();
  } finally {
    const { stopBoss } = await import('../../server/jobs/boss.ts');
    await stopBoss({ graceful: true, timeout: 10_000 });
    await disconnectDb();
    await database.embedded?.stop();
  }
}

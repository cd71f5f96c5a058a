import { config } from '../../server/config.ts';
import { startEmbeddedPostgres, type EmbeddedDb } from '../../server/db/embedded-postgres.ts';
import { applyMigrations } from '../../server/db/migrate.ts';
import { disconnectDb } from '../../server/db/client.ts';
import { waitOutDatabaseOutages } from '../../server/db/database-outage.ts';
import { runningDatabaseUrl } from '../../server/db/database-url.ts';

/**
 * Gives a CLI command a database: DATABASE_URL if set; else the embedded one of a running
 * `npm start` in this folder (from its record: the port may not be the default one); else
 * starts the embedded server itself for the command's lifetime. Migrations are applied either way.
 */
export async function withCliDatabase<T>(fn: () => Promise<T>): Promise<T> {
  let db: EmbeddedDb | null = null;
  if (!process.env.DATABASE_URL) {
    const running = runningDatabaseUrl(config.embeddedPgDir);
    if (running) process.env.DATABASE_URL = running;
    else {
      db = await startEmbeddedPostgres({ dir: config.embeddedPgDir, port: config.embeddedPgPort });
      process.env.DATABASE_URL = db.url;
    }
  }
  // A long command (eval, train) sits out a restart of the database by npm start.
  waitOutDatabaseOutages(60_000);
  try {
    await applyMigrations(process.env.DATABASE_URL!);
    return await fn();
  } finally {
    const { stopBoss } = await import('../../server/jobs/boss.ts');
    await stopBoss({ graceful: true, timeout: 10_000 });
    await disconnectDb();
    await db?.stop();
  }
}

import net from 'node:net';
import { config, embeddedDatabaseUrl } from '../../server/config.ts';
import { startEmbeddedPostgres, type EmbeddedDb } from '../../server/db/embedded-postgres.ts';
import { applyMigrations } from '../../server/db/migrate.ts';
import { disconnectDb } from '../../server/db.ts';

/**
 * Gives a CLI command a database: DATABASE_URL if set; else the embedded one of a running
 * `npm start` (same port); else starts the embedded server itself for the command's
 * lifetime. Migrations are applied either way.
 */
export async function withCliDatabase<T>(fn: () => Promise<T>): Promise<T> {
  let db: EmbeddedDb | null = null;
  if (!process.env.DATABASE_URL) {
    if (await portOpen(config.embeddedPgPort)) process.env.DATABASE_URL = embeddedDatabaseUrl();
    else {
      db = await startEmbeddedPostgres({ dir: config.embeddedPgDir, port: config.embeddedPgPort });
      process.env.DATABASE_URL = db.url;
    }
  }
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

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
}

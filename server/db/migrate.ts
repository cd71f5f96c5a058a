import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';

export const MIGRATIONS_DIR = path.resolve(process.cwd(), 'prisma/migrations');

// Prisma's own bookkeeping table, column for column, so `prisma migrate deploy` on a
// machine that has the native engine sees these migrations as applied.
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
);`;

interface MigrationFileInfo {
  name: string;
  sql: string;
  checksum: string;
}

export async function listMigrations(dir = MIGRATIONS_DIR): Promise<MigrationFileInfo[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = entries
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      if (!/^[0-9A-Za-z_]+$/.test(name)) throw new Error(`migration folder "${name}": only letters, digits and _ allowed`);
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

/**
 * Applies pending prisma/migrations/* in order, each in one transaction together with
 * its `_prisma_migrations` row (Prisma's layout: id, sha256 checksum, timestamps,
 * applied_steps_count). Works offline: no schema engine needed. An applied migration
 * whose file changed since is an error, as with `prisma migrate deploy`.
 */
export async function applyMigrations(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<string[]> {
  const adapter = await new PrismaPg({ connectionString: databaseUrl }).connect();
  try {
    await adapter.executeScript(CREATE_TABLE);
    const rows = await adapter.queryRaw({
      sql: 'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL',
      args: [],
      argTypes: [],
    });
    const applied = new Map(rows.rows.map((r) => [String(r[0]), String(r[1])]));
    const done: string[] = [];
    for (const m of await listMigrations(dir)) {
      const prev = applied.get(m.name);
      if (prev) {
        if (prev !== m.checksum) throw new Error(`migration ${m.name} was modified after it was applied (checksum differs)`);
        continue;
      }
      const steps = m.sql.split(/;\s*$/m).filter((s) => s.trim() && !/^\s*(--[^\n]*\n?\s*)*$/.test(s)).length;
      await adapter.executeScript(
        `BEGIN;\nSELECT pg_advisory_xact_lock(72707369);\n${m.sql}\n;` +
          `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count) ` +
          `VALUES ('${randomUUID()}', '${m.checksum}', '${m.name}', now(), now(), ${steps});\nCOMMIT;`,
      );
      done.push(m.name);
    }
    return done;
  } finally {
    await adapter.dispose();
  }
}

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { listMigrations, MIGRATIONS_DIR } from './migrate.ts';
import { diffSchemas } from './schema-engine.ts';

export const SCHEMA_PATH = path.resolve(process.cwd(), 'prisma/schema.prisma');

/**
 * Each migration folder keeps, beside its migration.sql, the schema.prisma it brings the
 * database to. That makes drift checkable offline: the last snapshot must equal the
 * current schema, and each migration.sql must be exactly the engine's diff between the
 * previous snapshot and its own.
 */
export async function checkMigrationDrift(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<string[]> {
  const problems: string[] = [];
  const migrations = await listMigrations(dir);
  const current = await readFile(SCHEMA_PATH, 'utf8');
  let previous: string | null = null;
  for (const m of migrations) {
    const snapshot = await readFile(path.join(dir, m.name, 'schema.prisma'), 'utf8').catch(() => null);
    if (snapshot === null) {
      problems.push(`${m.name}: no schema.prisma snapshot beside migration.sql`);
      continue;
    }
    const expected = await diffSchemas({ databaseUrl, from: previous, to: snapshot });
    if (expected.trim() !== m.sql.trim()) problems.push(`${m.name}: migration.sql differs from the diff of its schema snapshots`);
    previous = snapshot;
  }
  if (previous !== current) {
    const pending = await diffSchemas({ databaseUrl, from: previous, to: current });
    if (pending) problems.push(`prisma/schema.prisma has changes without a migration (run: npm run db:diff -- <name>):\n${pending}`);
  }
  return problems;
}

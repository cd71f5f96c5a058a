// Writes a new migration for the changes in prisma/schema.prisma:
//   npm run db:diff -- add_playground_history
// Uses DATABASE_URL if set, else a throw-away embedded PostgreSQL (the engine needs one to talk to).
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { listMigrations, MIGRATIONS_DIR } from '../server/db/migrate.ts';
import { SCHEMA_PATH } from '../server/db/migration-history.ts';
import { diffSchemas } from '../server/db/schema-engine.ts';
import { withToolDatabase } from './tool-database.ts';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:diff -- <snake_case_name>');
  process.exit(2);
}
const migrations = await listMigrations();
const last = migrations.at(-1);
const previous = last ? await readFile(path.join(MIGRATIONS_DIR, last.name, 'schema.prisma'), 'utf8') : null;
const current = await readFile(SCHEMA_PATH, 'utf8');
const sql = await withToolDatabase((url) => diffSchemas({ databaseUrl: url, from: previous, to: current }));
if (!sql) {
  console.log('prisma/schema.prisma matches the last migration: nothing to write.');
  process.exit(0);
}
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const dir = path.join(MIGRATIONS_DIR, `${stamp}_${name}`);
await mkdir(dir, { recursive: true });
await writeFile(path.join(dir, 'migration.sql'), sql);
await writeFile(path.join(dir, 'schema.prisma'), current);
await writeFile(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), '# Written by npm run db:diff\nprovider = "postgresql"\n');
console.log(`wrote ${path.relative(process.cwd(), dir)}/migration.sql:\n\n${sql}`);
process.exit(0);

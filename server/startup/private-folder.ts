import { chmodSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { shownPath } from './shown-path.ts';

/** Where PixelDrive keeps its state in a checkout: the database password, the data, uploads, logs. */
function stateFolder(root = process.cwd()): string {
  return path.join(root, '.pixeldrive');
}

/**
 * Makes the state folder private (0700) before anything is written into it: created so when
 * missing, and tightened when an older version (or a CLI command run first) left it open to
 * other users, which `say` reports; that happens once, since the folder stays private after.
 * Every entry point calls it: `npm start`, the CLI, a worker.
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
  chmodSync(dir, 0o700);
  say(
    `${shownPath(dir)}/ was open to other users (mode ${(st.mode & 0o777).toString(8)}): made it 0700, since it holds the database password, the data and uploads`,
  );
}

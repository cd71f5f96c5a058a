import { existsSync, lstatSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import path from 'node:path';
import { SYSTEM_DIR } from '../server/db/postgres-placement.ts';

/**
 * Removes `root` and, first, the system folders that links directly inside `folders` point to:
 * as root, a database made in a folder the postgres user cannot enter lives in SYSTEM_DIR behind
 * such a link, and a test folder with a random name would otherwise leave one behind per run.
 */
export function removeWithLinkedData(root: string, folders: string[] = [root]): void {
  for (const folder of folders) {
    for (const name of existsSync(folder) ? readdirSync(folder) : []) {
      const p = path.join(folder, name);
      if (!lstatSync(p).isSymbolicLink()) continue;
      const target = path.resolve(folder, readlinkSync(p));
      if (target.startsWith(SYSTEM_DIR + path.sep)) rmSync(target, { recursive: true, force: true });
    }
  }
  rmSync(root, { recursive: true, force: true });
}

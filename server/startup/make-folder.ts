import { accessSync, constants, existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * `mkdir -p` whose failure names the real cause: Node's recursive mkdir reports a read-only
 * file system as ENOENT ("no such file or directory"), so on failure the nearest existing
 * folder is asked whether it may be written (EROFS, EACCES come back as such).
 */
export async function makeFolder(dir: string, mode?: number): Promise<void> {
  try {
    await mkdir(dir, { recursive: true, mode });
  } catch (e) {
    let existing = dir;
    while (!existsSync(existing)) existing = path.dirname(existing);
    accessSync(existing, constants.W_OK);
    throw e;
  }
}

import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The app role's database password: random per install, kept 0600 beside the data folder
 * (under .pixeldrive/ by default; a data folder placed elsewhere for root stays reachable
 * through it). The only secret the product keeps: the superuser has no password at all
 * (server/db/least-privilege.ts). Whoever needs the database URL (`npm start`, the CLI, a
 * worker joining a running start) reads it from here, never from the running-instance record.
 */
export function passwordFile(dir: string): string {
  return path.join(path.dirname(dir), `${path.basename(dir)}.password`);
}

export function readPassword(file: string): string | null {
  const pw = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  return pw || null;
}

/** Written whole under a temporary name and renamed: a crash never leaves half a password. */
export async function savePassword(file: string, password: string): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const draft = `${file}.${process.pid}.tmp`;
  await writeFile(draft, password + '\n', { mode: 0o600 });
  await chmod(draft, 0o600); // a leftover draft keeps its mode through writeFile
  await rename(draft, file);
  return password;
}

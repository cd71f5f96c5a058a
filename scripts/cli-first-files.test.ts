import { spawnSync } from 'node:child_process';
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, statSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedPostgres } from '../server/db/embedded-postgres.ts';
import { anyFreePort } from '../server/startup/ports.ts';
import { removeWithLinkedData } from '../test/remove-linked-data.ts';
import { userEnv } from '../test/user-env.ts';

/**
 * The files a CLI command leaves when it is the first thing run in a checkout. The "checkout" is
 * a folder holding links to this one's prisma/ and node_modules/ (all a command reads relative to
 * its working folder), so no copy is made; it lies in the system's temp folder, 0755, as a
 * clone in a home folder others may enter would.
 */
const ROOT = process.cwd();
const homes: string[] = [];
afterAll(() => {
  for (const h of homes) removeWithLinkedData(h, [path.join(h, '.pixeldrive')]);
});

function checkout(): string {
  const home = mkdtempSync(path.join(os.tmpdir(), 'pd-cli-first-'));
  chmodSync(home, 0o755);
  homes.push(home);
  for (const name of ['prisma', 'node_modules']) symlinkSync(path.join(ROOT, name), path.join(home, name));
  return home;
}

/** `npm run cli -- leaderboard` without npm (its check-install would look at this folder): it starts the embedded database, migrates, reads. */
async function cli(home: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'scripts/cli.ts'), 'leaderboard', '--dataset', 'none'], {
    cwd: home,
    env: userEnv({ PIXELDRIVE_PG_PORT: String(await anyFreePort()) }),
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const mode = (p: string) => statSync(p).mode & 0o777;
const NOTE = /note: \.pixeldrive\/ was open to other users \(mode 755\): made it 0700/g;

describe('a CLI command run first in a checkout', () => {
  it('makes .pixeldrive/ 0700 and the password file 0600', async () => {
    const home = checkout();
    const r = await cli(home);
    // 2: the dataset asked for does not exist; it got that far only after the database answered.
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain('dataset "none" is not registered');
    expect(r.stderr).not.toMatch(NOTE);
    expect(mode(path.join(home, '.pixeldrive'))).toBe(0o700);
    expect(mode(path.join(home, '.pixeldrive/pgdata.password'))).toBe(0o600);
  }, 180_000);

  it('makes an older install’s open .pixeldrive/ private, saying so once, and the database still starts', async () => {
    const home = checkout();
    // What older versions left when the CLI ran first: .pixeldrive/ 0755, the cluster right inside it.
    mkdirSync(path.join(home, '.pixeldrive'), { mode: 0o755 });
    chmodSync(path.join(home, '.pixeldrive'), 0o755);
    const older = await startEmbeddedPostgres({ dir: path.join(home, '.pixeldrive/pgdata'), port: await anyFreePort() });
    await older.stop();
    expect(lstatSync(path.join(home, '.pixeldrive/pgdata')).isDirectory()).toBe(true);

    const first = await cli(home);
    expect(first.status, first.stderr).toBe(2);
    expect(first.stderr.match(NOTE)).toHaveLength(1);
    expect(mode(path.join(home, '.pixeldrive'))).toBe(0o700);
    expect(mode(path.join(home, '.pixeldrive/pgdata.password'))).toBe(0o600);
    if (process.getuid?.() === 0) {
      // The postgres user that runs it for root cannot enter a private folder: the data moved where it can, behind a link.
      expect(lstatSync(path.join(home, '.pixeldrive/pgdata')).isSymbolicLink()).toBe(true);
      expect(first.stdout).toMatch(/moved the database from \S*\.pixeldrive\/pgdata to \/var\/lib\/pixeldrive\/data\//);
    }
    const second = await cli(home);
    expect(second.status, second.stderr).toBe(2);
    expect(second.stderr).not.toMatch(NOTE);
    expect(second.stdout).not.toMatch(/moved the database/);
    expect(readdirSync(path.join(home, '.pixeldrive')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  }, 300_000);
});

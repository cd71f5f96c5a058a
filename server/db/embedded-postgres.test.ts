import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { anyFreePort } from '../startup/ports.ts';
import { expectedFailureLine } from '../startup/report-failure.ts';
import { StartupError } from '../errors.ts';
import { removeWithLinkedData } from '../../test/remove-linked-data.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';

// A folder the postgres user can enter wherever the checkout lies (as root in a 0700 home, a
// folder inside it would be placed elsewhere: that case is scripts/start.test.ts's).
const base = mkdtempSync(path.join(os.tmpdir(), 'pd-embedded-pg-'));
chmodSync(base, 0o755);
afterAll(() => removeWithLinkedData(base));

/** A small file system of its own at `dir` (root with mount rights only: a full or read-only disk cannot be faked otherwise). */
function mountTmpfs(dir: string, options: string): boolean {
  mkdirSync(dir, { recursive: true });
  return spawnSync('mount', ['-t', 'tmpfs', '-o', `${options},mode=0755`, 'tmpfs', dir], { stdio: 'ignore' }).status === 0;
}
const canMount = process.getuid?.() === 0 && mountTmpfs(path.join(base, 'probe'), 'size=1m') && spawnSync('umount', [path.join(base, 'probe')]).status === 0;

describe('startEmbeddedPostgres', () => {
  it('refuses a data folder made by another PostgreSQL version and leaves it as it was', async () => {
    const dir = path.join(base, 'pg16');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'PG_VERSION'), '16\n');
    const start = startEmbeddedPostgres({ dir, port: await anyFreePort() });
    await expect(start).rejects.toThrow(StartupError);
    await expect(start).rejects.toThrow(/was made by PostgreSQL 16 and this install runs PostgreSQL 18; nothing was changed/);
    expect(readdirSync(dir)).toEqual(['PG_VERSION']);
    expect(readFileSync(path.join(dir, 'PG_VERSION'), 'utf8')).toBe('16\n');
  });

  it('runs on a free port when the one asked for is taken, and answers there', async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as net.AddressInfo).port;
    const db = await startEmbeddedPostgres({ dir: path.join(base, 'moved'), port });
    try {
      expect(db.port).not.toBe(port);
      expect(db.url).toContain(`:${db.port}/`);
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      const { rows } = await client.query('SELECT current_database() AS name');
      await client.end();
      expect(rows[0].name).toBe('pixeldrive');
    } finally {
      await db.stop();
      taken.close();
    }
    expect((await db.exited).code).toBe(0);
  });

  it.skipIf(!canMount)('refuses a disk too full for a database before writing anything', async () => {
    const disk = path.join(base, 'small-disk');
    expect(mountTmpfs(disk, 'size=8m')).toBe(true);
    try {
      const start = startEmbeddedPostgres({ dir: path.join(disk, 'pgdata'), port: await anyFreePort() });
      await expect(start).rejects.toThrow(/the disk holding .*small-disk\/pgdata is full \(\d+\.\d MB free; the database needs at least 64 MB\)/);
      expect(existsSync(path.join(disk, 'pgdata'))).toBe(false);
    } finally {
      spawnSync('umount', [disk]);
    }
  });

  it.skipIf(!canMount)('names a read-only disk in one line', async () => {
    const disk = path.join(base, 'read-only-disk');
    expect(mountTmpfs(disk, 'ro')).toBe(true);
    try {
      const failure = await startEmbeddedPostgres({ dir: path.join(disk, 'nested', 'pgdata'), port: await anyFreePort() }).catch((e: unknown) => e);
      expect(expectedFailureLine(failure)).toMatch(
        /^cannot write \S*read-only-disk: the file system is read-only: put the checkout \(or PIXELDRIVE_PG_DIR\) on a writable disk$/,
      );
    } finally {
      spawnSync('umount', [disk]);
    }
  });
});

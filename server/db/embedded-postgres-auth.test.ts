import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { anyFreePort } from '../startup/ports.ts';
import { removeWithLinkedData } from '../../test/remove-linked-data.ts';
import { passwordFile, scramOnly, startEmbeddedPostgres } from './embedded-postgres.ts';

// As in embedded-postgres.test.ts: a folder the postgres user can enter wherever the checkout lies.
const base = mkdtempSync(path.join(os.tmpdir(), 'pd-embedded-auth-'));
chmodSync(base, 0o755);
afterAll(() => removeWithLinkedData(base));

async function connects(port: number, password: string): Promise<true | string> {
  const c = new pg.Client({ host: '127.0.0.1', port, user: 'pixeldrive', password, database: 'pixeldrive' });
  try {
    await c.connect();
    return true;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await c.end().catch(() => {});
  }
}

describe('embedded PostgreSQL credentials', () => {
  it('initialises with a random password kept 0600, SCRAM only, its socket in its own folder; the old fixed password fails', async () => {
    const dir = path.join(base, 'fresh', 'pgdata');
    const db = await startEmbeddedPostgres({ dir, port: await anyFreePort() });
    try {
      const file = passwordFile(dir);
      const password = readFileSync(file, 'utf8').trim();
      expect(password).toMatch(/^[0-9a-f]{48}$/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(db.url).toContain(`:${password}@`);
      expect(await connects(db.port, password)).toBe(true);
      expect(await connects(db.port, 'pixeldrive')).toMatch(/password authentication failed/);
      const hba = readFileSync(path.join(db.dataDir, 'pg_hba.conf'), 'utf8').split('\n').filter((l) => l.trim() && !l.trimStart().startsWith('#'));
      expect(hba.every((l) => /scram-sha-256\s*$/.test(l))).toBe(true);
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      const { rows } = await c.query<{ socket: string; encryption: string }>(`SELECT current_setting('unix_socket_directories') AS socket, current_setting('password_encryption') AS encryption`);
      await c.end();
      expect(rows[0]).toEqual({ socket: db.dataDir, encryption: 'scram-sha-256' });
      expect(existsSync(path.join(db.dataDir, `.s.PGSQL.${db.port}`))).toBe(true);
    } finally {
      await db.stop();
    }
    // A second start reads the same password.
    const again = await startEmbeddedPostgres({ dir, port: await anyFreePort() });
    await again.stop();
    expect(again.url).toBe(db.url.replace(`:${db.port}/`, `:${again.port}/`));
  });

  it('gives a cluster made with the old fixed password a random one at its next start', async () => {
    const dir = path.join(base, 'legacy', 'pgdata');
    const first = await startEmbeddedPostgres({ dir, port: await anyFreePort() });
    // Back to what older versions left: password "pixeldrive", cleartext password auth, no password file.
    const c = new pg.Client({ connectionString: first.url });
    await c.connect();
    await c.query(`ALTER ROLE pixeldrive PASSWORD 'pixeldrive'`);
    await c.end();
    const hbaFile = path.join(first.dataDir, 'pg_hba.conf');
    writeFileSync(hbaFile, readFileSync(hbaFile, 'utf8').replace(/scram-sha-256(\s*)$/gm, 'password$1'));
    await first.stop();
    rmSync(passwordFile(dir));
    const db = await startEmbeddedPostgres({ dir, port: await anyFreePort() });
    try {
      const password = readFileSync(passwordFile(dir), 'utf8').trim();
      expect(password).toMatch(/^[0-9a-f]{48}$/);
      expect(await connects(db.port, password)).toBe(true);
      expect(await connects(db.port, 'pixeldrive')).toMatch(/password authentication failed/);
      expect(readFileSync(hbaFile, 'utf8')).not.toMatch(/\bpassword\s*$/m);
    } finally {
      await db.stop();
    }
  });
});

describe('scramOnly', () => {
  it('turns cleartext and md5 rules into SCRAM and leaves comments alone', () => {
    expect(scramOnly('# "password" or md5\nlocal all all password\nhost all all 127.0.0.1/32 md5\nhost all all ::1/128 scram-sha-256\n')).toBe(
      '# "password" or md5\nlocal all all scram-sha-256\nhost all all 127.0.0.1/32 scram-sha-256\nhost all all ::1/128 scram-sha-256\n',
    );
  });
});

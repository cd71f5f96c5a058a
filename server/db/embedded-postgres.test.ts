import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { anyFreePort } from '../startup/ports.ts';
import { StartupError } from '../startup/startup-error.ts';
import { removeWithLinkedData } from '../../test/remove-linked-data.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';

// Open to others like a normal project folder (mkdtemp makes it 0700; that case is scripts/start.test.ts's).
const base = mkdtempSync(path.resolve('.pixeldrive', 'embedded-pg-test-'));
chmodSync(base, 0o755);
afterAll(() => removeWithLinkedData(base));

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
});

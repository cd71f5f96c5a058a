import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { passwordFile } from '../db/password-file.ts';
import { claimInstance, instanceFile, readRunningInstance, type InstanceClaim } from './running-instance.ts';
import { runningDatabaseUrl } from '../db/database-url.ts';
import { StartupError } from '../errors.ts';

const pgDir = path.resolve('.pixeldrive', `pgdata-claim-test-${process.pid}`);
const claims: InstanceClaim[] = [];

afterEach(async () => {
  for (const c of claims.splice(0)) await c.release();
});

describe('claimInstance', () => {
  it('refuses a second claim on the same data folder with the holder’s pid and URL', async () => {
    const first = await claimInstance(pgDir, { webUrl: 'http://127.0.0.1:3999' });
    claims.push(first);
    const second = claimInstance(pgDir, { webUrl: 'http://127.0.0.1:4000' });
    await expect(second).rejects.toThrow(StartupError);
    await expect(second).rejects.toThrow(`already running in this folder (pid ${process.pid}, http://127.0.0.1:3999)`);
  });

  it('replaces a record whose process is gone', async () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.pid']).pid!;
    writeFileSync(instanceFile(pgDir), JSON.stringify({ pid: gone, script: process.argv[1], startedAt: new Date().toISOString() }));
    expect(readRunningInstance(pgDir)).toBeNull();
    claims.push(await claimInstance(pgDir, { webUrl: 'http://127.0.0.1:3999' }));
    expect(readRunningInstance(pgDir)?.pid).toBe(process.pid);
  });

  it('publishes the database URL to readers, its password only through the password file, and removes the record on release', async () => {
    const claim = await claimInstance(pgDir, { webUrl: 'http://127.0.0.1:3999' });
    await claim.update({ databaseUrl: 'postgresql://u:secret-pw@127.0.0.1:40001/db' });
    const text = readFileSync(instanceFile(pgDir), 'utf8');
    expect(text).not.toContain('secret-pw');
    expect(statSync(instanceFile(pgDir)).mode & 0o777).toBe(0o600);
    expect(readRunningInstance(pgDir)?.databaseUrl).toBe('postgresql://u@127.0.0.1:40001/db');
    writeFileSync(passwordFile(pgDir), 'secret-pw\n', { mode: 0o600 });
    try {
      expect(runningDatabaseUrl(pgDir)).toBe('postgresql://u:secret-pw@127.0.0.1:40001/db');
    } finally {
      rmSync(passwordFile(pgDir));
    }
    await claim.release();
    expect(existsSync(instanceFile(pgDir))).toBe(false);
    expect(readRunningInstance(pgDir)).toBeNull();
  });
});

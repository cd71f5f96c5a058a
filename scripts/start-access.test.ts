import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { userEnv } from '../test/user-env.ts';

describe('npm start beyond loopback', () => {
  it('is refused without PIXELDRIVE_TOKEN, in one line that says how, before anything starts', () => {
    const r = spawnSync('npm', ['start'], {
      env: userEnv({ HOST: '0.0.0.0', PORT: '3999', PIXELDRIVE_PG_DIR: '.pixeldrive/pgdata-refused' }),
      encoding: 'utf8',
      timeout: 120_000,
    });
    const said = r.stdout + r.stderr;
    expect(r.status).toBe(1);
    expect(said).toMatch(/HOST=0\.0\.0\.0 makes PixelDrive reachable from other machines.*PIXELDRIVE_TOKEN.*openssl rand -hex 24/);
    expect(said).not.toMatch(/embedded PostgreSQL on/);
  });

  it('is refused with a token too short to be a secret', () => {
    const r = spawnSync('npm', ['start'], {
      env: userEnv({ HOST: '0.0.0.0', PORT: '3999', PIXELDRIVE_TOKEN: 'short', PIXELDRIVE_PG_DIR: '.pixeldrive/pgdata-refused' }),
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status).toBe(1);
    expect(r.stdout + r.stderr).toMatch(/PIXELDRIVE_TOKEN.*at least 16 characters/);
  });
});

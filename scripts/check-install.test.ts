import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const script = path.resolve('scripts/check-install.mjs');
const dir = mkdtempSync(path.join(os.tmpdir(), 'pd-check-install-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
copyFileSync('package.json', path.join(dir, 'package.json'));
copyFileSync('package-lock.json', path.join(dir, 'package-lock.json'));

function check(cwd: string) {
  const r = spawnSync(process.execPath, [script], { cwd, encoding: 'utf8' });
  return { status: r.status, err: r.stderr };
}

describe('check-install', () => {
  it('passes in this installed checkout', () => {
    expect(check(process.cwd())).toEqual({ status: 0, err: '' });
  });

  it('asks for npm ci when nothing is installed', () => {
    expect(check(dir)).toEqual({ status: 1, err: '[pixeldrive] the dependencies are not installed: run npm ci first\n' });
  });

  it('names the package whose installed version is not the locked one (a git pull without npm ci)', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: object; devDependencies: object };
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, { version: string }> };
    for (const name of Object.keys({ ...pkg.dependencies, ...pkg.devDependencies })) {
      mkdirSync(path.join(dir, 'node_modules', name), { recursive: true });
      const version = name === 'next' ? '0.0.1' : lock.packages[`node_modules/${name}`].version;
      writeFileSync(path.join(dir, 'node_modules', name, 'package.json'), JSON.stringify({ name, version }));
    }
    const r = check(dir);
    expect(r).toEqual({
      status: 1,
      err: `[pixeldrive] node_modules does not match package-lock.json (next 0.0.1 installed, ${lock.packages['node_modules/next'].version} locked): run npm ci\n`,
    });
  });
});

import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeStateFolderPrivate, stateFolder } from './private-folder.ts';

const base = mkdtempSync(path.join(os.tmpdir(), 'pd-private-folder-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

const modeOf = (dir: string) => statSync(dir).mode & 0o777;

function checkout(name: string, mode?: number): string {
  const root = path.join(base, name);
  mkdirSync(root);
  if (mode !== undefined) {
    mkdirSync(stateFolder(root));
    chmodSync(stateFolder(root), mode);
  }
  return root;
}

describe('the state folder', () => {
  it('is created private', () => {
    const root = checkout('fresh');
    const said: string[] = [];
    makeStateFolderPrivate((l) => said.push(l), root);
    expect(modeOf(stateFolder(root))).toBe(0o700);
    expect(said).toEqual([]);
  });

  it('is tightened once when found open, and says so', () => {
    const root = checkout('open', 0o755);
    const said: string[] = [];
    makeStateFolderPrivate((l) => said.push(l), root);
    makeStateFolderPrivate((l) => said.push(l), root);
    expect(modeOf(stateFolder(root))).toBe(0o700);
    expect(said).toEqual([expect.stringMatching(/was open to other users \(mode 755\): made it 0700/)]);
  });

  // Only root can hand a folder to another user: CI runs as root (.ci/run installs with apt).
  it.runIf(process.getuid?.() === 0)('stays open while a database inside it runs as another user, and is tightened once that database stopped', () => {
    const root = checkout('running', 0o755);
    const dataDir = path.join(stateFolder(root), 'pgdata');
    mkdirSync(dataDir);
    chownSync(dataDir, 65534, 65534);
    // A live pid (this process) in the lock file, as a running postmaster leaves it.
    writeFileSync(path.join(dataDir, 'postmaster.pid'), `${process.pid}\n${dataDir}\n`);
    const said: string[] = [];
    makeStateFolderPrivate((l) => said.push(l), root);
    expect(modeOf(stateFolder(root))).toBe(0o755);
    expect(said).toEqual([
      expect.stringMatching(new RegExp(`left so for now, since the database in .*pgdata \\(pid ${process.pid}\\) runs as another OS user`)),
    ]);

    rmSync(path.join(dataDir, 'postmaster.pid'));
    makeStateFolderPrivate((l) => said.push(l), root);
    expect(modeOf(stateFolder(root))).toBe(0o700);
    expect(said[1]).toMatch(/made it 0700/);
  });

  it('is tightened when the lock file names a process that is gone (a server that crashed)', () => {
    const root = checkout('stale', 0o755);
    const dataDir = path.join(stateFolder(root), 'pgdata');
    mkdirSync(dataDir);
    if (process.getuid?.() === 0) chownSync(dataDir, 65534, 65534);
    writeFileSync(path.join(dataDir, 'postmaster.pid'), `${2 ** 22 + 1}\n`); // above Linux's pid_max
    makeStateFolderPrivate(() => {}, root);
    expect(modeOf(stateFolder(root))).toBe(0o700);
  });
});

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anyFreePort } from '../server/startup/ports.ts';
import { instanceFile } from '../server/startup/running-instance.ts';
import { removeWithLinkedData } from '../test/remove-linked-data.ts';
import { userEnv } from '../test/user-env.ts';

/**
 * `npm start` as a new user runs it: from a fresh copy of this checkout in a folder only its
 * owner may enter (as root that is the case that used to end in `spawn initdb EACCES`),
 * started twice, and with its ports taken. The copy holds the files a clone of this commit
 * holds (tracked and not ignored; .git is not needed to run) and a hard-linked copy of
 * node_modules (what `npm ci` installed here, so the suite does not install twice), then runs
 * npm ci's postinstall (the Prisma client). Everything else it does itself, the build included.
 */
const ROOT = process.cwd();
type Env = Record<string, string | undefined>;
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

class Npm {
  out = '';
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;

  constructor(cwd: string, args: string[], env: Env) {
    // Its own process group, so the test can press Ctrl-C the way a terminal does: on the whole group.
    this.child = spawn('npm', args, { cwd, env: env as NodeJS.ProcessEnv, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (b: Buffer) => (this.out += b.toString()));
    this.child.stderr!.on('data', (b: Buffer) => (this.out += b.toString()));
    // 'close', not 'exit': npm may end before the processes it started, which still write here.
    this.exited = new Promise((resolve) => this.child.once('close', (code) => resolve(code)));
  }

  /** The first match of `re` in the output; fails with the output when the process ends first. */
  async waitFor(re: RegExp): Promise<RegExpMatchArray> {
    let ended = false;
    void this.exited.then(() => (ended = true));
    for (;;) {
      const m = this.out.match(re);
      if (m) return m;
      if (ended) throw new Error(`exited before ${re}:\n${this.out}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Ctrl-C; resolves once every process it started has let go of the output. */
  async interrupt(): Promise<number | null> {
    try {
      process.kill(-this.child.pid!, 'SIGINT');
    } catch {
      // ESRCH: the whole group has already ended.
    }
    return this.exited;
  }
}

function holdPort(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const s = net.createServer((c) => c.destroy());
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}

async function fetchText(url: string): Promise<{ status: number; text: string }> {
  const res = await fetch(url);
  return { status: res.status, text: await res.text() };
}

function makeFreshCopy(home: string): string {
  const clone = path.join(home, 'pixeldrive');
  const files = spawnSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { encoding: 'utf8' }).stdout.split('\0');
  for (const f of files) {
    if (!f || !existsSync(f) || statSync(f).isDirectory()) continue;
    mkdirSync(path.join(clone, path.dirname(f)), { recursive: true });
    copyFileSync(f, path.join(clone, f));
  }
  // A repository of its own, as a clone has: tools read .gitignore only inside one.
  expect(spawnSync('git', ['init', '-q', clone]).status).toBe(0);
  expect(spawnSync('cp', ['-al', 'node_modules', path.join(clone, 'node_modules')]).status).toBe(0);
  const generated = spawnSync('npm', ['run', 'prisma:generate'], { cwd: clone, encoding: 'utf8' });
  expect(generated.status, generated.stderr).toBe(0);
  return clone;
}

describe('npm start', () => {
  let home = '';
  let clone = '';
  let first: Npm | null = null;
  let firstEnv: Env = {};
  let firstUrl = '';
  const others: Npm[] = [];
  const held: net.Server[] = [];

  beforeAll(() => {
    // Inside the checkout: on its file system, so node_modules can be hard-linked; mkdtemp makes it 0700.
    mkdirSync(path.join(ROOT, '.pixeldrive'), { recursive: true });
    home = mkdtempSync(path.join(ROOT, '.pixeldrive', 'first-start-'));
    clone = makeFreshCopy(home);
  }, 300_000);

  afterAll(async () => {
    for (const p of [...others, ...(first ? [first] : [])]) await Promise.race([p.interrupt(), new Promise((r) => setTimeout(r, 60_000))]);
    for (const s of held) s.close();
    if (home) removeWithLinkedData(home, [path.join(clone, '.pixeldrive')]);
  }, 180_000);

  it('serves the dashboard from a fresh clone in a folder only its owner can enter', async () => {
    expect(statSync(home).mode & 0o777).toBe(0o700);
    firstEnv = userEnv({ PORT: String(await anyFreePort()), PIXELDRIVE_PG_PORT: String(await anyFreePort()) });
    first = new Npm(clone, ['start'], firstEnv);
    firstUrl = (await first.waitFor(/dashboard: (http:\S+)/))[1];
    const page = await fetchText(`${firstUrl}/`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Architecture leaderboard');
    const data = first.out.match(/data in (\S+)/)![1];
    if (process.getuid?.() === 0) {
      // The postgres user cannot enter the 0700 folder: the data lives where it can, and the start says where.
      expect(data).toMatch(/^\/var\/lib\/pixeldrive\/data\//);
      expect(readlinkSync(path.join(clone, '.pixeldrive/pgdata'))).toBe(data);
    } else {
      expect(data).toBe('.pixeldrive/pgdata');
    }
    expect(first.out).not.toMatch(STACK_LINE);
    // Its password and the uploads live under .pixeldrive/: only the owner may enter, and the password file is 0600.
    expect(statSync(path.join(clone, '.pixeldrive')).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(clone, '.pixeldrive/pgdata.password')).mode & 0o777).toBe(0o600);
  }, 600_000);

  it('refuses a second start in the same folder with the first one’s pid and URL, leaving it serving and its data untouched', async () => {
    const dataDir = realpathSync(path.join(clone, '.pixeldrive/pgdata'));
    const record = readFileSync(instanceFile(path.join(clone, '.pixeldrive/pgdata'), clone), 'utf8');
    const lock = readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8');
    const { pid } = JSON.parse(record) as { pid: number };

    const second = new Npm(clone, ['start'], firstEnv);
    expect(await second.exited).not.toBe(0);
    expect(second.out).toContain(`already running in this folder (pid ${pid}, ${firstUrl})`);
    expect(second.out).not.toMatch(STACK_LINE);

    expect((await fetchText(`${firstUrl}/`)).status).toBe(200);
    expect(readFileSync(instanceFile(path.join(clone, '.pixeldrive/pgdata'), clone), 'utf8')).toBe(record);
    expect(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8')).toBe(lock);
  }, 120_000);

  it('stops with one line naming the web port and PORT when that port is taken, before starting anything', async () => {
    const port = await anyFreePort();
    held.push(await holdPort(port));
    const run = new Npm(clone, ['start'], userEnv({ PORT: String(port), PIXELDRIVE_PG_DIR: '.pixeldrive/pgdata-web-port' }));
    expect(await run.exited).toBe(1);
    expect(run.out).toContain(`port ${port} on 127.0.0.1 is already in use by another program: stop it, or start on another port with PORT`);
    expect(run.out).not.toMatch(STACK_LINE);
    expect(existsSync(path.join(clone, '.pixeldrive/pgdata-web-port'))).toBe(false);
  }, 120_000);

  it('moves the embedded database to a free port when its own is taken, and the CLI finds it there', async () => {
    const pgPort = await anyFreePort();
    held.push(await holdPort(pgPort));
    const env = userEnv({ PORT: String(await anyFreePort()), PIXELDRIVE_PG_PORT: String(pgPort), PIXELDRIVE_PG_DIR: '.pixeldrive/pgdata-pg-port' });
    const run = new Npm(clone, ['start'], env);
    others.push(run);
    const url = (await run.waitFor(/dashboard: (http:\S+)/))[1];
    const chosen = Number(run.out.match(/embedded PostgreSQL on 127\.0\.0\.1:(\d+) \((\d+) was taken/)![1]);
    expect(chosen).not.toBe(pgPort);
    expect((await fetchText(`${url}/`)).status).toBe(200);

    // The start registered the official frames; the CLI, given the same (taken) port, must reach that database.
    const cli = new Npm(clone, ['run', 'cli', '--', 'data', 'import', 'data/carla-official', '--name', 'carla-official', '--heldout'], env);
    expect(await cli.exited, cli.out).toBe(0);
    expect(cli.out).toContain('already registered (same content)');

    await run.interrupt();
    expect(run.out).toMatch(/SIGINT: stopping…[\s\S]*stopping embedded PostgreSQL \(clean shutdown\)…[\s\S]*\[pixeldrive\] stopped\./);
    expect(run.out).not.toMatch(STACK_LINE);
    expect(existsSync(instanceFile(path.join(clone, '.pixeldrive/pgdata-pg-port'), clone))).toBe(false);
  }, 300_000);
});

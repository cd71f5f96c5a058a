// `npm start`: the whole product on its embedded defaults.
//   database (embedded PostgreSQL unless DATABASE_URL is set) → migrations → embedded data
//   and checkpoints registered → web app (next start) + one worker. Ctrl-C stops all of it.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { config } from '../server/config.ts';
import { startEmbeddedPostgres, type EmbeddedDb } from '../server/db/embedded-postgres.ts';
import { applyMigrations } from '../server/db/migrate.ts';

process.env.CHECKPOINT_DISABLE ??= '1';
process.env.NEXT_TELEMETRY_DISABLED ??= '1';
const dev = process.argv.includes('--dev');
const children: ChildProcess[] = [];
let db: EmbeddedDb | null = null;
let shuttingDown = false;

function log(msg: string) {
  console.log(`[pixeldrive] ${msg}`);
}

async function shutdown(code: number, why: string) {
  if (shuttingDown) return;
  shuttingDown = true;
  log(`${why}: stopping web app and worker…`);
  await Promise.all(children.map((c) => stopChild(c)));
  if (db) {
    log('stopping embedded PostgreSQL (clean shutdown)…');
    await Promise.race([db.stop(), new Promise((r) => setTimeout(r, 15_000))]);
  }
  log('stopped.');
  process.exit(code);
}

function stopChild(c: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (c.exitCode !== null || c.signalCode !== null) return resolve();
    const kill = setTimeout(() => c.kill('SIGKILL'), 25_000);
    c.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    c.kill('SIGTERM');
  });
}

function run(name: string, cmd: string, args: string[]): ChildProcess {
  const child = spawn(cmd, args, { stdio: 'inherit', env: process.env });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!shuttingDown) void shutdown(1, `${name} exited unexpectedly (${signal ?? code})`);
  });
  return child;
}

function newestSource(dirs: string[]): number {
  let newest = 0;
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name === 'generated' || e.name.startsWith('.')) continue;
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(tsx?|css|mjs)$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  for (const d of dirs) if (existsSync(d)) walk(d);
  return newest;
}

function buildIsStale(): boolean {
  const id = '.next/BUILD_ID';
  if (!existsSync(id)) return true;
  return newestSource(['app', 'server', 'models']) > statSync(id).mtimeMs;
}

function runToEnd(cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { stdio: 'inherit', env: process.env });
    children.push(c);
    c.on('exit', (code) => {
      children.splice(children.indexOf(c), 1);
      if (code === 0) resolve();
      else reject(new Error(`${cmd} ${args.join(' ')} exited with ${code}`));
    });
  });
}

process.on('SIGINT', () => void shutdown(0, 'SIGINT'));
process.on('SIGTERM', () => void shutdown(0, 'SIGTERM'));

try {
  if (!config.databaseUrl) {
    const t0 = Date.now();
    db = await startEmbeddedPostgres({ dir: config.embeddedPgDir, port: config.embeddedPgPort });
    process.env.DATABASE_URL = db.url;
    log(`embedded PostgreSQL on 127.0.0.1:${config.embeddedPgPort} (data in ${path.relative(process.cwd(), config.embeddedPgDir)}) in ${Date.now() - t0} ms`);
  } else {
    log('using DATABASE_URL');
  }
  const applied = await applyMigrations(process.env.DATABASE_URL!);
  log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema up to date');
  const { bootstrapEmbeddedDefaults } = await import('../server/bootstrap/bootstrap-embedded-defaults.ts');
  await bootstrapEmbeddedDefaults({ log });
  // Start-up only enqueued jobs; the worker process does the work.
  const { stopBoss } = await import('../server/jobs/boss.ts');
  await stopBoss({ graceful: true, timeout: 5000 });
  const next = path.resolve('node_modules/next/dist/bin/next');
  if (!dev && buildIsStale()) {
    log('building the web app (first start or sources changed)…');
    await runToEnd(process.execPath, [next, 'build']);
  }
  run('worker', process.execPath, ['--import', 'tsx', 'server/jobs/worker-main.ts']);
  run('web', process.execPath, [next, dev ? 'dev' : 'start', '-p', String(config.webPort), '-H', config.webHost]);
  log(`dashboard: http://${config.webHost}:${config.webPort}`);
} catch (e) {
  console.error(`[pixeldrive] start failed: ${(e as Error).message}`);
  await shutdown(1, 'start failed');
}

// `npm start`: the whole product on its embedded defaults.
//   claim this folder → database (embedded PostgreSQL unless DATABASE_URL is set) → migrations →
//   embedded data and checkpoints registered → web app (next start) + one worker. Ctrl-C stops
//   all of it. Any failure is one line and exit code 1 (scripts/start.test.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { EmbeddedDb } from '../server/db/embedded-postgres.ts';
import { assertWebAddressFree } from '../server/startup/ports.ts';
import { makeStateFolderPrivate } from '../server/startup/private-folder.ts';
import { reportFailure } from '../server/startup/report-failure.ts';
import { claimInstance, instanceFile, type InstanceClaim } from '../server/startup/running-instance.ts';
import { shownPath } from '../server/startup/shown-path.ts';
import { RestartBackoff } from '../server/startup/restart-backoff.ts';
import { StartupError } from '../server/errors.ts';
import { webProcessEnv } from '../server/startup/web-process-env.ts';

process.env.CHECKPOINT_DISABLE ??= '1';
process.env.NEXT_TELEMETRY_DISABLED ??= '1';
const dev = process.argv.includes('--dev');
const LOG_DIR = path.resolve('.pixeldrive/logs');
/** The long-running processes now alive; each one's exit goes through onServiceExit. */
const services: ChildProcess[] = [];
/** A short-lived child (the build) that a Ctrl-C must stop too. */
let task: ChildProcess | null = null;
let db: EmbeddedDb | null = null;
let claim: InstanceClaim | null = null;
/** A restart of the database in progress (superviseDatabase); a shutdown waits for it, then stops what it started. */
let dbRestart: Promise<void> | null = null;
/** Restarts of the database in a row (each soon after the last) before the product gives up. */
const DB_RESTARTS_IN_A_ROW = 5;
/** Half a second first: every page waits on the database, and its processes that outlived it are gone by then. */
const DB_BACKOFF = { firstMs: 500, maxMs: 30_000, stableMs: 60_000 };
let stopping = false;

function log(msg: string) {
  console.log(`[pixeldrive] ${msg}`);
}

/** Stops what this start began, in order: web app and worker first, the database they use last. */
async function stopAll(say: (m: string) => void): Promise<void> {
  const running = [...services, ...(task ? [task] : [])].filter((c) => c.exitCode === null && c.signalCode === null);
  if (running.length) say('stopping web app and worker…');
  await Promise.all(running.map((c) => stopChild(c)));
  await dbRestart;
  if (db) {
    say('stopping embedded PostgreSQL (clean shutdown)…');
    await Promise.race([db.stop(), new Promise((r) => setTimeout(r, 15_000))]);
  }
  await claim?.release();
}

async function shutdown(code: number, why: string | null) {
  if (stopping) return;
  stopping = true;
  // After a failure its one line has been printed; the clean-up stays quiet.
  const say = why ? log : () => {};
  if (why) log(`${why}: stopping…`);
  await stopAll(say).catch(() => {});
  say('stopped.');
  process.exit(code);
}

function fail(e: unknown) {
  if (stopping) return;
  reportFailure(e, { what: 'start', logDir: LOG_DIR, prefix: '[pixeldrive] ' });
  void shutdown(1, null);
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

/** One place decides what a service's exit means (today: the product stops; restart policies belong here). */
/**
 * A service that exits on its own is started again after a backoff (restart-backoff.ts) while the
 * others keep serving: a crashed worker no longer takes the dashboard and the database with it.
 * Its unfinished jobs are retried by the queue, and the repair sweep settles what they left.
 */
function onServiceExit(
  service: { name: string; cmd: string; args: string[]; child: ChildProcess; backoff: RestartBackoff; env: NodeJS.ProcessEnv },
  code: number | null,
  signal: NodeJS.Signals | null,
) {
  services.splice(services.indexOf(service.child), 1);
  if (stopping) return;
  const delay = service.backoff.delayAfterExit();
  log(`${service.name} exited unexpectedly (${signal ?? `code ${code}`}): restarting it in ${delay / 1000} s; the rest keep serving`);
  setTimeout(() => {
    if (!stopping) runService(service.name, service.cmd, service.args, service.backoff, service.env);
  }, delay);
}

/**
 * The embedded PostgreSQL, restarted when it exits on its own (killed, crashed, out of memory):
 * after the same backoff as the other services, on the same port (every process holds that URL),
 * with crash recovery run by PostgreSQL itself. Meanwhile the web app answers 503 (proxy.ts), and
 * the worker's jobs wait for it and carry on (server/db/database-outage.ts). Failing again soon
 * after each restart, DB_RESTARTS_IN_A_ROW times, it stops the product with one line.
 */
function superviseDatabase(running: EmbeddedDb, backoff = new RestartBackoff(DB_BACKOFF)): void {
  backoff.started();
  void running.exited.then((r) => {
    if (stopping || db !== running) return;
    dbRestart = restartDatabase(`exited unexpectedly (${r.signal ?? `code ${r.code}`})`, running, backoff).finally(() => (dbRestart = null));
  });
}

async function restartDatabase(why: string, dead: EmbeddedDb, backoff: RestartBackoff): Promise<void> {
  for (;;) {
    const delay = backoff.delayAfterExit();
    if (backoff.inARow > DB_RESTARTS_IN_A_ROW) {
      fail(
        new StartupError(
          `the embedded PostgreSQL ${why} after ${DB_RESTARTS_IN_A_ROW} restarts in a row: not restarting it again (its data is in ${shownPath(db!.dataDir)}); stopping`,
        ),
      );
      return;
    }
    log(
      `embedded PostgreSQL ${why}: restarting it in ${delay / 1000} s (restart ${backoff.inARow} of at most ${DB_RESTARTS_IN_A_ROW} in a row); the web app answers 503 meanwhile`,
    );
    await new Promise((r) => setTimeout(r, delay));
    if (stopping) return;
    const t0 = Date.now();
    try {
      db = await dead.restart();
    } catch (e) {
      why = `could not be restarted (${String((e as Error).message).split('\n')[0]})`;
      backoff.started();
      continue;
    }
    if (stopping) return;
    log(`embedded PostgreSQL is back on 127.0.0.1:${db.port} after crash recovery (${Date.now() - t0} ms); the web app and the worker reconnect by themselves`);
    superviseDatabase(db, backoff);
    return;
  }
}

function runService(name: string, cmd: string, args: string[], backoff = new RestartBackoff(), env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(cmd, args, { stdio: 'inherit', env });
  services.push(child);
  backoff.started();
  child.on('exit', (code, signal) => onServiceExit({ name, cmd, args, child, backoff, env }, code, signal));
  return child;
}

function runTask(what: string, cmd: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { stdio: 'inherit', env: process.env });
    task = c;
    c.once('error', reject);
    c.on('exit', (code, signal) => {
      task = null;
      if (code === 0) resolve();
      else if (!stopping) reject(new StartupError(`${what} failed (exit ${signal ?? code}; its messages are above)`));
    });
  });
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

/** Resolves once something accepts connections on host:port (the dashboard line is printed only then). */
async function waitUntilListening(port: number, host: string, child: ChildProcess): Promise<void> {
  const connectHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  while (child.exitCode === null && child.signalCode === null) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: connectHost, port }, () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function main() {
  // Imported here so that a bad environment is reported like every other start failure.
  const { config, databaseUrl, setDatabaseUrl } = await import('../server/config.ts');
  const { bindingRefusal } = await import('../server/access/access-policy.ts');
  const refusal = bindingRefusal({ host: config.webHost, token: config.accessToken });
  if (refusal) throw new StartupError(refusal);
  const webUrl = `http://${config.webHost}:${config.webPort}`;
  makeStateFolderPrivate(log);
  claim = await claimInstance(config.embeddedPgDir, { webUrl });
  await assertWebAddressFree(config.webPort, config.webHost);
  const t0 = Date.now();
  const { resolveDatabase } = await import('../server/db/database-url.ts');
  const database = await resolveDatabase({
    given: databaseUrl(),
    start: { dir: config.embeddedPgDir, port: config.embeddedPgPort, ownProcessGroup: true, log },
  });
  setDatabaseUrl(database.url);
  if (database.embedded) {
    db = database.embedded;
    await claim.update({ databaseUrl: db.url, dataDir: db.dataDir });
    const where =
      db.dataDir === config.embeddedPgDir
        ? shownPath(db.dataDir)
        : `${db.dataDir} (linked from ${shownPath(config.embeddedPgDir)}: as root the database runs as the postgres user, who cannot enter this folder)`;
    const port =
      db.port === config.embeddedPgPort
        ? `${db.port}`
        : `${db.port} (${config.embeddedPgPort} was taken; the CLI and workers find this port in ${shownPath(instanceFile(config.embeddedPgDir))})`;
    log(`embedded PostgreSQL on 127.0.0.1:${port}, data in ${where}, ready in ${Date.now() - t0} ms`);
    superviseDatabase(db);
  } else {
    log('using DATABASE_URL');
  }
  const { applyMigrations } = await import('../server/db/migrate.ts');
  const applied = await applyMigrations(database.url);
  log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema up to date');
  const { registerEmbeddedDefaults } = await import('../server/first-start/register-embedded-defaults.ts');
  await registerEmbeddedDefaults({ log });
  // Start-up only enqueued jobs; the worker process does the work.
  const { stopBoss } = await import('../server/jobs/boss.ts');
  await stopBoss({ graceful: true, timeout: 5000 });
  const next = path.resolve('node_modules/next/dist/bin/next');
  if (!dev && buildIsStale()) {
    log('building the web app (first start or sources changed)…');
    await runTask('building the web app (next build)', process.execPath, [next, 'build']);
  }
  // Checked again: the build takes a while, and a port taken meanwhile must not end in a raw EADDRINUSE.
  await assertWebAddressFree(config.webPort, config.webHost);
  runService('worker', process.execPath, ['--import', 'tsx', 'server/worker/worker-main.ts']);
  // Its allocator gives memory back after a burst of uploads (server/startup/web-process-env.ts).
  const web = runService(
    'web app',
    process.execPath,
    [next, dev ? 'dev' : 'start', '-p', String(config.webPort), '-H', config.webHost],
    undefined,
    webProcessEnv(process.env),
  );
  await waitUntilListening(config.webPort, config.webHost, web);
  if (!stopping) log(`dashboard: ${webUrl}`);
}

process.on('SIGINT', () => void shutdown(0, 'SIGINT'));
process.on('SIGTERM', () => void shutdown(0, 'SIGTERM'));
// A closed terminal: the database sits in its own process group and hears nothing of it.
process.on('SIGHUP', () => void shutdown(0, 'SIGHUP'));
process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
main().catch(fail);

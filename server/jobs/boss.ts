import { PgBoss } from 'pg-boss';
import { databaseUrlOrThrow } from '../config.ts';
import { JOB_DEFINITIONS } from './definitions.ts';
import { perProcess } from '../per-process.ts';

/**
 * pg-boss keeps its queue in the same PostgreSQL (schema `pgboss`), so any number of
 * workers on any number of machines can share it. One instance per process.
 */
const state = perProcess('Boss', () => ({ boss: undefined as Promise<PgBoss> | undefined, stopping: false }));

export function getBoss(): Promise<PgBoss> {
  state.boss ??= (async () => {
    const boss = new PgBoss({
      connectionString: databaseUrlOrThrow(),
      max: 4,
      superviseIntervalSeconds: 5,
      // A queued job wakes an idle worker at once (LISTEN/NOTIFY) instead of at its next poll.
      useListenNotify: true,
    });
    // On Ctrl-C the terminal signals PostgreSQL too; its dropped connections are expected then.
    boss.on('error', (e: unknown) => {
      if (!state.stopping) console.error('[pg-boss]', (e as Error).message ?? e);
    });
    await boss.start();
    for (const def of Object.values(JOB_DEFINITIONS)) {
      await boss.createQueue(def.queue, def.queueOptions);
      // createQueue leaves an existing queue as it was: options added later reach it here.
      await boss.updateQueue(def.queue, { notify: def.queueOptions.notify });
    }
    return boss;
  })();
  return state.boss;
}

/** From now on, connection errors are the expected ones of a shutdown. */
export function markShuttingDown(): void {
  state.stopping = true;
}

export async function stopBoss(opts: { graceful: boolean; timeout: number } = { graceful: true, timeout: 30_000 }): Promise<void> {
  const p = state.boss;
  state.boss = undefined;
  markShuttingDown();
  if (p) await (await p).stop({ ...opts, close: true });
}

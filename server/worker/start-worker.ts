import { isDatabaseUnavailable, waitForDatabase } from '../db/database-outage.ts';
import { getBoss } from '../jobs/boss.ts';
import { JOB_DEFINITIONS, type JobName } from '../jobs/definitions.ts';
import { HANDLERS } from './handlers.ts';

/** How long a job waits for a lost database before it fails the ordinary way (npm start gives up on the database sooner). */
const DATABASE_WAIT_MS = 5 * 60_000;
/** Outages one job sits out before it fails the ordinary way. */
const OUTAGES_PER_JOB = 5;

/**
 * Subscribes this process to the given queues (all by default). Used by the worker and the CLI.
 * A job that loses its database (a write cut off when PostgreSQL died) waits until the database
 * answers again and runs again within the same attempt: every handler is safe to repeat (an
 * evaluation chunk skips the predictions it stored), so the run ends as if nothing had happened,
 * and the queue, which could not have recorded a failure meanwhile, sees one attempt.
 */
export async function startWorker(opts: { queues?: JobName[]; log?: (m: string) => void } = {}): Promise<void> {
  const log = opts.log ?? (() => {});
  const boss = await getBoss();
  for (const name of opts.queues ?? (Object.keys(JOB_DEFINITIONS) as JobName[])) {
    const def = JOB_DEFINITIONS[name];
    await boss.work(
      def.queue,
      { batchSize: 1, pollingIntervalSeconds: 0.5, notifyPollingIntervalSeconds: 0.5, localConcurrency: def.localConcurrency },
      async ([job]) => {
        const t0 = Date.now();
        try {
          for (let outage = 1; ; outage++) {
            try {
              await HANDLERS[name](job.data, { jobId: job.id, signal: job.signal, retryCount: job.retryCount });
              break;
            } catch (e) {
              if (!isDatabaseUnavailable(e) || outage > OUTAGES_PER_JOB || job.signal.aborted) throw e;
              log(`${def.queue} ${job.id}: lost the database; running it again once it answers`);
              await waitForDatabase(DATABASE_WAIT_MS);
            }
          }
          log(`${def.queue} ${job.id} done in ${Date.now() - t0} ms`);
        } catch (e) {
          log(`${def.queue} ${job.id} failed (attempt ${job.retryCount + 1}): ${(e as Error).message}`);
          throw e;
        }
      },
    );
  }
}

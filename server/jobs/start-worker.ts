import { getBoss } from './boss.ts';
import { JOB_DEFINITIONS, type JobName } from './definitions.ts';
import { HANDLERS } from './handlers.ts';

/** Subscribes this process to the given queues (all by default). Used by the worker and the CLI. */
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
          await HANDLERS[name](job.data, { jobId: job.id, signal: job.signal, retryCount: job.retryCount });
          log(`${def.queue} ${job.id} done in ${Date.now() - t0} ms`);
        } catch (e) {
          log(`${def.queue} ${job.id} failed (attempt ${job.retryCount + 1}): ${(e as Error).message}`);
          throw e;
        }
      },
    );
  }
}

// The worker process: `npm run worker` (npm start runs one). Any number can run, on any
// machine that reaches the same PostgreSQL.
import { disconnectDb } from '../db.ts';
import { config } from '../config.ts';
import { getBoss, stopBoss } from './boss.ts';
import { JOB_DEFINITIONS, type JobName } from './definitions.ts';
import { HANDLERS } from './handlers.ts';

process.env.CHECKPOINT_DISABLE ??= '1';
const boss = await getBoss();
for (const name of Object.keys(JOB_DEFINITIONS) as JobName[]) {
  const def = JOB_DEFINITIONS[name];
  await boss.work(
    def.queue,
    { batchSize: 1, pollingIntervalSeconds: 0.5, localConcurrency: (name as string) === 'training' ? 1 : config.workerConcurrency },
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
log(`worker ${process.pid} ready: ${Object.values(JOB_DEFINITIONS).map((d) => d.queue).join(', ')}`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`worker ${process.pid}: ${signal}, finishing current jobs`);
  await stopBoss({ graceful: true, timeout: 20_000 });
  await disconnectDb();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

function log(msg: string) {
  console.log(`[worker] ${new Date().toISOString().slice(11, 19)} ${msg}`);
}

// The worker process: `npm run worker` (npm start runs one). Any number can run, on any
// machine that reaches the same PostgreSQL.
import '../inference/tfjs-support.ts';
import { disconnectDb } from '../db.ts';
import { disposeSegmenters } from '../inference/segmenter.ts';
import { warmSegmenters } from '../inference/warm-segmenters.ts';
import { markShuttingDown, stopBoss } from './boss.ts';
import { JOB_DEFINITIONS } from './definitions.ts';
import { startWorker } from './start-worker.ts';

process.env.CHECKPOINT_DISABLE ??= '1';

function log(msg: string) {
  console.log(`[worker ${process.pid}] ${new Date().toISOString().slice(11, 19)} ${msg}`);
}

await startWorker({ log });
void warmSegmenters().then(
  (w) => w.length && log(`warmed ${w.join(', ')}`),
  (e: Error) => log(`warm-up skipped: ${e.message}`),
);
log(`ready: ${Object.values(JOB_DEFINITIONS).map((d) => d.queue).join(', ')}`);

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: finishing current jobs`);
  markShuttingDown();
  await stopBoss({ graceful: true, timeout: 20_000 });
  await disposeSegmenters();
  await disconnectDb();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

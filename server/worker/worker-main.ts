// The worker process: `npm run worker` (npm start runs one). Any number can run, on any
// machine that reaches the same PostgreSQL.
import './guard-worker.ts';
import '../inference/tfjs-support.ts';
import { databaseUrl, setDatabaseUrl } from '../config.ts';
import { disconnectDb } from '../db/client.ts';
import { waitOutDatabaseOutages } from '../db/database-outage.ts';
import { disposeSegmenters } from '../inference/segmenter.ts';
import { warmSegmenters } from '../inference/warm-segmenters.ts';
import { markShuttingDown, stopBoss } from '../jobs/boss.ts';
import { JOB_DEFINITIONS } from '../jobs/definitions.ts';
import { startRepairSweeps } from './repair-runs.ts';
import { startWorker } from './start-worker.ts';
import { resolveDatabase } from '../db/database-url.ts';
import { StartupError } from '../errors.ts';

process.env.CHECKPOINT_DISABLE ??= '1';

function log(msg: string) {
  console.log(`[worker ${process.pid}] ${new Date().toISOString().slice(11, 19)} ${msg}`);
}

// Started on its own without DATABASE_URL: join the embedded database of this folder's running `npm start`.
const database = await resolveDatabase({ given: databaseUrl(), join: true });
if (!database)
  throw new StartupError(
    'no database to work for: run npm start in this folder first (a worker started on its own then joins its database), or set DATABASE_URL=postgresql://… to join another PostgreSQL',
  );
setDatabaseUrl(database.url);
// A database restarted by npm start is waited out, not failed on (server/db/database-outage.ts).
waitOutDatabaseOutages(60_000);
await startWorker({ log });
void warmSegmenters().then(
  (w) => w.length && log(`warmed ${w.join(', ')}`),
  (e: Error) => log(`warm-up skipped: ${e.message}`),
);
log(
  `ready: ${Object.values(JOB_DEFINITIONS)
    .map((d) => d.queue)
    .join(', ')}`,
);
// Runs left behind by a worker that died (this one's previous life included) are put right.
const stopSweeps = startRepairSweeps({ log });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: finishing current jobs`);
  stopSweeps();
  markShuttingDown();
  await stopBoss({ graceful: true, timeout: 20_000 });
  await disposeSegmenters();
  await disconnectDb();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

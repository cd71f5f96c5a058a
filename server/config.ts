import path from 'node:path';

/**
 * The one place that reads process.env. Everything has an embedded default, so
 * `npm start` works on a fresh clone with no configuration.
 */
export const ROOT = process.cwd();

export const config = {
  /** Unset → an embedded PostgreSQL is started by `npm start` (see server/db/embedded-postgres.ts). */
  databaseUrl: process.env.DATABASE_URL,
  embeddedPgPort: Number(process.env.PIXELDRIVE_PG_PORT ?? 54329),
  embeddedPgDir: path.resolve(/*turbopackIgnore: true*/ ROOT, process.env.PIXELDRIVE_PG_DIR ?? '.pixeldrive/pgdata'),
  webPort: Number(process.env.PORT ?? 3000),
  webHost: process.env.HOST ?? '127.0.0.1',
  /** Where checkpoints live (one folder per architecture). */
  checkpointsDir: path.resolve(/*turbopackIgnore: true*/ ROOT, process.env.PIXELDRIVE_CHECKPOINTS ?? 'models/checkpoints'),
  dataDir: path.resolve(/*turbopackIgnore: true*/ ROOT, 'data'),
  /** 'auto' | 'tfjs-node' | 'onnx' | 'wasm' */
  inferenceBackend: (process.env.PIXELDRIVE_BACKEND ?? 'auto') as 'auto' | 'tfjs-node' | 'onnx' | 'wasm',
  /** Evaluations run once on first start unless set to 0. */
  autoEvaluate: process.env.PIXELDRIVE_AUTO_EVAL !== '0',
  workerConcurrency: Number(process.env.PIXELDRIVE_WORKER_CONCURRENCY ?? 1),
  /** ONNX Runtime in a worker thread where possible (server/inference/onnx-runner.ts); 0 = on the calling thread. */
  onnxThread: process.env.PIXELDRIVE_ONNX_THREAD !== '0',
};

export function databaseUrlOrThrow(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (npm start sets it for the embedded database; set it to use your own PostgreSQL)');
  return url;
}

export function embeddedDatabaseUrl(port = config.embeddedPgPort): string {
  return `postgresql://pixeldrive:pixeldrive@127.0.0.1:${port}/pixeldrive`;
}

import path from 'node:path';
import { z } from 'zod';
import { StartupError } from './errors.ts';

/**
 * The one place that reads process.env. Everything has an embedded default, so
 * `npm start` works on a fresh clone with no configuration; a value that is set but not
 * valid stops the process at start with a message naming the variable.
 */
export const ROOT = process.cwd();

export const INFERENCE_BACKENDS = ['auto', 'tfjs-node', 'onnx', 'wasm'] as const;
export type InferenceBackendChoice = (typeof INFERENCE_BACKENDS)[number];
export const TF_BACKENDS = ['tensorflow', 'wasm', 'cpu'] as const;
export type TfBackendName = (typeof TF_BACKENDS)[number];

const port = z.coerce.number().int().min(1).max(65535);
/** '1' on, '0' off: the switches documented in docs/operations.md. */
const onOff = z.enum(['0', '1']).transform((v) => v === '1');

/**
 * Where the ONNX Runtime training engine runs its graphs: 'cpu', or a GPU provider of ORT —
 * 'webgpu' (built into onnxruntime-node on Linux x64; needs Vulkan and a GPU driver) or 'cuda'
 * (needs ORT's CUDA provider libraries, which onnxruntime-node's installer fetches with
 * `--onnxruntime-node-install=cuda12`).
 */
export const ORT_PROVIDERS = ['cpu', 'webgpu', 'cuda'] as const;
export type OrtProvider = (typeof ORT_PROVIDERS)[number];

const envSchema = z.object({
  DATABASE_URL: z.string().optional(),
  PORT: port.default(3000),
  HOST: z.string().default('127.0.0.1'),
  PIXELDRIVE_PG_PORT: port.default(54329),
  PIXELDRIVE_PG_DIR: z.string().default('.pixeldrive/pgdata'),
  PIXELDRIVE_CHECKPOINTS: z.string().default('models/checkpoints'),
  PIXELDRIVE_MODELS_DIR: z.string().default('.pixeldrive/models'),
  PIXELDRIVE_MAX_MODEL_MB: z.coerce.number().positive().max(4096).default(200),
  PIXELDRIVE_BACKEND: z.enum(INFERENCE_BACKENDS).default('auto'),
  PIXELDRIVE_TF_BACKEND: z.enum(TF_BACKENDS).optional(),
  PIXELDRIVE_AUTO_EVAL: onOff.default(true),
  PIXELDRIVE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
  PIXELDRIVE_ONNX_THREAD: onOff.default(true),
  PIXELDRIVE_TRAIN_ENGINE: z.enum(['auto', 'ort', 'tfjs']).default('auto'),
  PIXELDRIVE_ORT_PROVIDER: z.enum(ORT_PROVIDERS).default('cpu'),
  PIXELDRIVE_TRAINING_HEARTBEAT_S: z.coerce.number().int().min(10).max(3600).default(120),
  /** Required when HOST is beyond loopback (server/access/access-policy.ts); short secrets are guessable. */
  PIXELDRIVE_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
  PIXELDRIVE_UPLOAD_KEEP: z.coerce.number().int().min(1).max(100_000).default(500),
  PIXELDRIVE_UPLOAD_DAYS: z.coerce.number().min(0.01).max(3650).default(30),
  PIXELDRIVE_ALLOWED_HOSTS: z
    .string()
    .transform((s) =>
      s
        .split(',')
        .map((h) => h.trim())
        .filter(Boolean),
    )
    .refine((hs) => !hs.includes('*'), 'list host names; "*" would let any site in')
    .optional(),
  /** Tests and tools only: their own databases, never the product's. */
  PIXELDRIVE_TEST_DATABASE_URL: z.string().optional(),
  PIXELDRIVE_TEST_PG_PORT: port.default(54349),
  PIXELDRIVE_TOOLS_PG_PORT: port.default(54339),
  /** Tests only: the evaluation run whose finalisation waits until its worker is killed. */
  PIXELDRIVE_TEST_HOLD_FINALIZING: z.string().optional(),
  /** CUDA's own: set (to anything) = tfjs-node-gpu runs on a GPU. */
  CUDA_VISIBLE_DEVICES: z.string().optional(),
});

/** Reads the variables this project knows; an empty value counts as unset (a shell's `X= cmd`). */
export function parseEnv(env: Record<string, string | undefined>): z.infer<typeof envSchema> {
  const known = Object.fromEntries(Object.keys(envSchema.shape).map((k) => [k, env[k] === '' ? undefined : env[k]]));
  const r = envSchema.safeParse(known);
  // A StartupError: `npm start`, the CLI and a worker print it as their one failure line.
  if (!r.success)
    throw new StartupError(
      'invalid environment: ' + r.error.issues.map((i) => `${i.path.join('.')}=${JSON.stringify(env[String(i.path[0])])}: ${i.message}`).join('; '),
    );
  return r.data;
}

const env = parseEnv(process.env);

export const config = {
  embeddedPgPort: env.PIXELDRIVE_PG_PORT,
  embeddedPgDir: path.resolve(/*turbopackIgnore: true*/ ROOT, env.PIXELDRIVE_PG_DIR),
  webPort: env.PORT,
  webHost: env.HOST,
  /** Where the shipped checkpoints live: one folder each, every finished one registered at start (models/checkpoint-folders.ts). */
  checkpointsDir: path.resolve(/*turbopackIgnore: true*/ ROOT, env.PIXELDRIVE_CHECKPOINTS),
  /** Imported ONNX models and int8/fp16 variants, one folder per content hash (server/onnx-import). */
  modelsDir: path.resolve(/*turbopackIgnore: true*/ ROOT, env.PIXELDRIVE_MODELS_DIR),
  /** Largest ONNX file `models import` and the upload form accept. */
  maxModelBytes: env.PIXELDRIVE_MAX_MODEL_MB * 1024 * 1024,
  dataDir: path.resolve(/*turbopackIgnore: true*/ ROOT, 'data'),
  /** Recorded measurements, and the recipe sweeps' cards (<sweep>/<run>/card.json) that every start imports as training runs. */
  benchResultsDir: path.resolve(/*turbopackIgnore: true*/ ROOT, 'bench-results'),
  inferenceBackend: env.PIXELDRIVE_BACKEND,
  /** TF.js backend for training; unset = the fastest this machine has (server/tf/runtime.ts). */
  tfBackend: env.PIXELDRIVE_TF_BACKEND,
  /** Evaluations run once on first start unless set to 0. */
  autoEvaluate: env.PIXELDRIVE_AUTO_EVAL,
  workerConcurrency: env.PIXELDRIVE_WORKER_CONCURRENCY,
  /** Training engine: 'auto' (ONNX Runtime where it loads, else TF.js), 'ort' or 'tfjs'. */
  trainEngine: env.PIXELDRIVE_TRAIN_ENGINE,
  /** Execution provider of the ORT training engine (ORT_PROVIDERS). */
  ortProvider: env.PIXELDRIVE_ORT_PROVIDER,
  /**
   * Seconds a training job may go without a heartbeat before the queue counts its worker as dead
   * and hands the run to another, which resumes from the last saved epoch. Lower resumes sooner;
   * it must stay above the longest pause of a training worker's event loop (a TF.js step blocks it).
   */
  trainingHeartbeatSeconds: env.PIXELDRIVE_TRAINING_HEARTBEAT_S,
  /** ONNX Runtime in a worker thread where possible (server/inference/onnx-runner.ts); 0 = on the calling thread. */
  onnxThread: env.PIXELDRIVE_ONNX_THREAD,
  /** Playground uploads kept: the newest this many, none older than this many days (server/playground/prune-uploads.ts). */
  uploadRetention: { keep: env.PIXELDRIVE_UPLOAD_KEEP, maxAgeDays: env.PIXELDRIVE_UPLOAD_DAYS },
  /** null = no sign-in (only allowed on loopback; see bindingRefusal). */
  accessToken: env.PIXELDRIVE_TOKEN ?? null,
  /** Host names the web server answers to besides loopback and its own addresses. */
  allowedHosts: env.PIXELDRIVE_ALLOWED_HOSTS ?? [],
  testDatabaseUrl: env.PIXELDRIVE_TEST_DATABASE_URL,
  testPgPort: env.PIXELDRIVE_TEST_PG_PORT,
  toolsPgPort: env.PIXELDRIVE_TOOLS_PG_PORT,
  /**
   * Tests only (server/evaluation/evaluation-crash.test.ts): a real worker SIGKILLed while it
   * finalises this run. Nothing in the product sets it; unset, finalisation never waits.
   */
  testHoldFinalizingRunId: env.PIXELDRIVE_TEST_HOLD_FINALIZING ?? null,
  /** CUDA_VISIBLE_DEVICES is set: TF.js's native backend is the GPU build (server/inference/tfjs-support.ts). */
  cudaVisible: env.CUDA_VISIBLE_DEVICES !== undefined,
  /**
   * Inside the Next.js server bundle rather than under tsx (worker, CLI, tests). NEXT_RUNTIME is
   * no variable of the environment: Next writes the literal `process.env.NEXT_RUNTIME` into the
   * bundle as it compiles it, so it is read by exactly that expression, not through parseEnv.
   */
  inNextBundle: Boolean(process.env.NEXT_RUNTIME),
};

/**
 * DATABASE_URL as it is now, or undefined: unset, `npm start` starts the embedded PostgreSQL and
 * sets it (server/db/database-url.ts); the web server's proxy asks whether it answers.
 */
export function databaseUrl(): string | undefined {
  return process.env.DATABASE_URL || undefined;
}

/**
 * Points this process (its Prisma client and pg-boss, which read DATABASE_URL when they first
 * connect) and the processes it starts at the database chosen by resolveDatabase
 * (server/db/database-url.ts); undefined unsets it.
 */
export function setDatabaseUrl(url: string | undefined): void {
  if (url === undefined) delete process.env.DATABASE_URL;
  else process.env.DATABASE_URL = url;
}

/** Read at call time, not import time: `npm start`, the CLI and the tests set DATABASE_URL once they have a database. */
export function databaseUrlOrThrow(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set (npm start sets it for the embedded database; set it to use your own PostgreSQL)');
  return url;
}

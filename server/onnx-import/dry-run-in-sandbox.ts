import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { BoundedSlots } from '../bounded-slots.ts';
import { ROOT } from '../config.ts';
import { AppError } from '../errors.ts';
import type { Adapter } from './adapter.ts';
import type { SandboxAnswer } from './dry-run-sandbox-child.ts';
import type { DryRunResult } from './dry-run-onnx-model.ts';
import { encodeOnnx, type ModelProto } from './onnx-graph.ts';
import { perProcess } from '../per-process.ts';

interface SandboxLimits {
  /** Resident memory the dry run may use before it is killed. */
  maxRssBytes: number;
  /** Wall time, start-up included. */
  timeoutMs: number;
}

/**
 * Room for a 200 MB model at the 800×600 reference frame with ONNX Runtime's arenas; a graph
 * that needs more is not one this machine could evaluate anyway.
 */
const DEFAULT_SANDBOX_LIMITS: SandboxLimits = { maxRssBytes: 4 * 1024 ** 3, timeoutMs: 120_000 };
const RSS_POLL_MS = 20;

/**
 * One dry run at a time per process (each may hold up to maxRssBytes); a short line waits,
 * the rest get "busy, retry" (HTTP 503 with Retry-After).
 */
const dryRunSlots = perProcess(
  'DryRunSlots',
  () =>
    new BoundedSlots({
      slots: 1,
      maxWaiting: 4,
      maxWaitMs: 60_000,
      busyMessage: 'Another model is being checked; retry in a minute.',
    }),
);

async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  return kb ? Number(kb[1]) * 1024 : 0;
}

/**
 * Runs dryRunOnnxModel in a child process: working directory an empty temporary folder,
 * environment without secrets (no DATABASE_URL, no token), resident memory and wall time
 * bounded (killed beyond them), the graph sent over stdin. What an imported graph does while
 * it loads and runs happens there, not in the web server, the worker or the CLI.
 */
export async function dryRunInSandbox(
  runtime: ModelProto,
  adapter: Adapter,
  scores: string,
  limits: SandboxLimits = DEFAULT_SANDBOX_LIMITS,
): Promise<DryRunResult> {
  return dryRunSlots.run(async () => {
    const cwd = await mkdtemp(path.join(os.tmpdir(), 'pixeldrive-dry-run-'));
    try {
      return await runChild(cwd, runtime, adapter, scores, limits);
    } finally {
      await rm(cwd, { recursive: true, force: true });
    }
  });
}

function runChild(cwd: string, runtime: ModelProto, adapter: Adapter, scores: string, limits: SandboxLimits): Promise<DryRunResult> {
  const tsx = pathToFileURL(createRequire(path.join(/*turbopackIgnore: true*/ ROOT, 'package.json')).resolve('tsx')).href;
  const script = path.join(/*turbopackIgnore: true*/ ROOT, 'server/onnx-import/dry-run-sandbox-child.ts');
  const child = spawn(process.execPath, ['--import', tsx, script], {
    cwd,
    env: { NODE_ENV: 'production', PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: cwd, TMPDIR: cwd },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let killedFor: string | null = null;
  const kill = (why: string) => {
    killedFor ??= why;
    child.kill('SIGKILL');
  };
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  // The child's log (ONNX Runtime's own messages among it) belongs in this process's log.
  child.stderr.setEncoding('utf8').on('data', (d: string) => process.stderr.write(d.replace(/^(?=.)/gm, `[dry run ${child.pid}] `)));
  const timer = setTimeout(() => kill(`it ran longer than ${limits.timeoutMs / 1000} s`), limits.timeoutMs);
  const watch = setInterval(() => {
    void residentBytes(child.pid!).then((rss) => {
      if (rss > limits.maxRssBytes) kill(`it needed more than ${(limits.maxRssBytes / 1024 ** 3).toFixed(1)} GiB of memory`);
    });
  }, RSS_POLL_MS);

  const header = Buffer.from(JSON.stringify({ adapter, scores }), 'utf8');
  const length = Buffer.alloc(4);
  length.writeUInt32LE(header.byteLength);
  child.stdin.on('error', () => {}); // a child killed early closes its stdin; the exit says why
  child.stdin.end(Buffer.concat([length, header, encodeOnnx(runtime)]));

  return new Promise<DryRunResult>((resolve, reject) => {
    child.on('error', (e) => {
      console.error(`[onnx import] the dry-run process did not start: ${e.message}`);
      reject(new AppError('INTERNAL', `dry-run process: ${e.message}`, 'The server could not check the model.'));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(watch);
      if (killedFor) {
        const why = `the model was stopped during its dry run: ${killedFor}`;
        return reject(new AppError('INVALID_INPUT', why, `The model cannot be imported: ${why}.`));
      }
      const line = stdout.trim().split('\n').at(-1) ?? '';
      let answer: SandboxAnswer | null = null;
      try {
        answer = JSON.parse(line) as SandboxAnswer;
      } catch {
        answer = null;
      }
      if (!answer) {
        const why = `the dry-run process ended (${signal ?? `exit ${code}`}) without an answer`;
        console.error(`[onnx import] ${why}`);
        return reject(new AppError('INVALID_INPUT', why, 'The model cannot be imported: it stopped ONNX Runtime during its dry run.'));
      }
      if (answer.ok) resolve(answer.result);
      else reject(new AppError(answer.code, answer.message, answer.userMessage));
    });
  });
}

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { stopBoss } from '../server/jobs/boss.ts';

/**
 * Real worker processes on the test database, for the crash tests: a worker that is SIGKILLed
 * runs no catch block and leaves its job active, which only a separate process can show.
 */
const workers: ChildProcess[] = [];

export function startWorkerProcess(env: Record<string, string> = {}): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('server/worker/worker-main.ts')], {
    env: { ...process.env, ...env },
    stdio: 'ignore',
  });
  workers.push(child);
  return child;
}

/** Stops every worker this file started and this process' queue client (an afterAll). */
export async function stopWorkerProcesses(): Promise<void> {
  for (const w of workers) if (w.exitCode === null) w.kill('SIGTERM');
  await stopBoss({ graceful: false, timeout: 1000 });
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | false | undefined>, timeoutMs = 180_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Stops one worker (it finishes its current job first) and waits until it has exited. */
export async function stopWorkerProcess(w: ChildProcess): Promise<void> {
  if (w.exitCode !== null || w.signalCode !== null) return;
  const exited = new Promise((r) => w.once('exit', r));
  w.kill('SIGTERM');
  await exited;
}

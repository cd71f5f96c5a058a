// `npm test`: type check, format and lint, unit + integration tests (vitest, real PostgreSQL),
// then the end-to-end journeys (Playwright in Debian's Chromium against `npm start`).
// vitest runs its tiers (vitest.config.ts, test/tiers.ts) in three runs: the unit files in
// parallel; the integration and process files together, in parallel (each on its own database;
// the process files mostly wait on the processes they start, and their waits overlap the others'
// work); then the timed files one by one. The type check and `npm run lint` run beside them; each
// verdict counts like a failed test. Ends with one line "N passed, N failed" over both suites.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { makeStateFolderPrivate } from '../server/startup/private-folder.ts';
import type { Tier } from '../test/tiers.ts';

process.env.CHECKPOINT_DISABLE ??= '1';
process.env.NEXT_TELEMETRY_DISABLED ??= '1';
const only = process.argv[2]; // 'unit' | 'e2e' | undefined
const INTEGRATION_WORKERS = Math.max(2, os.availableParallelism());
makeStateFolderPrivate(() => {}); // as every entry point does (server/startup/private-folder.ts)

function run(cmd: string, args: string[], env: Record<string, string> = {}): number {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

let passed = 0;
let failed = 0;
let ok = true;

/**
 * A check in the background (the type check, the formatter and linter). Its output goes to a
 * file (vitest's spawnSync blocks this process, so a pipe would not be read) and is printed once
 * vitest is done, not interleaved.
 */
function inBackground(name: string, cmd: string, args: string[]): Promise<{ name: string; command: string; code: number; output: string }> {
  const log = `.pixeldrive/${name.replace(/\W+/g, '-')}.log`;
  const fd = openSync(log, 'w');
  const child = spawn(cmd, args, { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  const command = `${cmd} ${args.join(' ')}`;
  return new Promise((resolve) => child.once('close', (code) => resolve({ name, command, code: code ?? 1, output: readFileSync(log, 'utf8') })));
}
const checks = only ? [] : [inBackground('type check', 'npx', ['tsc', '--noEmit', '-p', '.']), inBackground('lint', 'npm', ['run', '--silent', 'lint'])];

/** One vitest run over the given tiers, with its own JSON report (.pixeldrive/vitest-<tiers>.json); counts its tests. */
function vitestRun(tiers: Tier[], args: string[] = []): void {
  const out = `.pixeldrive/vitest-${tiers.join('+')}.json`;
  rmSync(out, { force: true });
  const projects = tiers.flatMap((t) => ['--project', t]);
  const code = run('npx', ['vitest', 'run', ...projects, ...args, '--reporter=default', '--reporter=json', `--outputFile=${out}`]);
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, 'utf8')) as { numPassedTests: number; numFailedTests: number };
    passed += r.numPassedTests;
    failed += r.numFailedTests;
  }
  if (code !== 0) ok = false;
}

if (only !== 'e2e') {
  // Files in parallel (beside the type check), then the timed files one by one. One worker per core
  // (at least two): a third worker on two cores once starved a file's synchronous TF.js work past
  // vitest's fixed 60 s worker RPC timeout ("Timeout calling onTaskUpdate"), failing a green run.
  vitestRun(['unit'], ['--file-parallelism']);
  vitestRun(['integration', 'process'], ['--file-parallelism', `--maxWorkers=${INTEGRATION_WORKERS}`]);
  vitestRun(['timed']);
}

for (const check of await Promise.all(checks)) {
  console.log(`\n$ ${check.command}\n${check.output}${check.code === 0 ? `${check.name}: no errors` : ''}`);
  if (check.code !== 0) {
    ok = false;
    failed++;
  }
}

if (only !== 'unit') {
  const out = '.pixeldrive/playwright.json';
  rmSync(out, { force: true });
  const code = run('npx', ['playwright', 'test', '--reporter=list,json'], { PLAYWRIGHT_JSON_OUTPUT_NAME: out });
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, 'utf8')) as { stats: { expected: number; unexpected: number; flaky: number } };
    passed += r.stats.expected + r.stats.flaky;
    failed += r.stats.unexpected;
  }
  if (code !== 0) ok = false;
}

if (!ok && failed === 0) failed = 1; // a suite crashed before reporting: never report green
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(ok && failed === 0 ? 0 : 1);

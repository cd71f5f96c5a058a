// `npm test`: type check, unit + integration tests (vitest, real PostgreSQL), then the
// end-to-end journeys (Playwright in Debian's Chromium against `npm start`).
// Ends with one line "N passed, N failed" over both suites.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

process.env.CHECKPOINT_DISABLE ??= '1';
process.env.NEXT_TELEMETRY_DISABLED ??= '1';
const only = process.argv[2]; // 'unit' | 'e2e' | undefined
mkdirSync('.pixeldrive', { recursive: true });

function run(cmd: string, args: string[], env: Record<string, string> = {}): number {
  console.log(`\n$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  return r.status ?? 1;
}

let passed = 0;
let failed = 0;
let ok = true;

if (!only) ok = run('npx', ['tsc', '--noEmit', '-p', '.']) === 0 && ok;
if (!ok) failed++;

if (only !== 'e2e') {
  const out = '.pixeldrive/vitest.json';
  rmSync(out, { force: true });
  const code = run('npx', ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${out}`]);
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, 'utf8')) as { numPassedTests: number; numFailedTests: number };
    passed += r.numPassedTests;
    failed += r.numFailedTests;
  }
  if (code !== 0) ok = false;
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

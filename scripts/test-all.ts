// `npm test`: type check, unit + integration tests (vitest, real PostgreSQL), then the
// end-to-end journeys (Playwright in Debian's Chromium against `npm start`).
// vitest runs in two tiers (vitest.config.ts): unit files in parallel, then integration files one
// by one. The type check runs beside them (it is one process); its verdict counts like a failed
// test. Ends with one line "N passed, N failed" over both suites.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';

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

/**
 * The type check in the background. Its output goes to a file (vitest's spawnSync blocks this
 * process, so a pipe would not be read) and is printed once vitest is done, not interleaved.
 */
function typeCheck(): Promise<{ code: number; output: string }> {
  const log = '.pixeldrive/tsc.log';
  const fd = openSync(log, 'w');
  const child = spawn('npx', ['tsc', '--noEmit', '-p', '.'], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  return new Promise((resolve) => child.once('close', (code) => resolve({ code: code ?? 1, output: readFileSync(log, 'utf8') })));
}
const tsc = only ? null : typeCheck();

/** One vitest tier with its own JSON report (.pixeldrive/vitest-<tier>.json); counts its tests. */
function vitestTier(tier: 'unit' | 'integration', args: string[] = []): void {
  const out = `.pixeldrive/vitest-${tier}.json`;
  rmSync(out, { force: true });
  const code = run('npx', ['vitest', 'run', '--project', tier, ...args, '--reporter=default', '--reporter=json', `--outputFile=${out}`]);
  if (existsSync(out)) {
    const r = JSON.parse(readFileSync(out, 'utf8')) as { numPassedTests: number; numFailedTests: number };
    passed += r.numPassedTests;
    failed += r.numFailedTests;
  }
  if (code !== 0) ok = false;
}

if (only !== 'e2e') {
  // The unit tier's files in parallel (beside the type check), then the integration tier's one by one.
  vitestTier('unit', ['--file-parallelism']);
  vitestTier('integration');
}

if (tsc) {
  const { code, output } = await tsc;
  console.log(`\n$ npx tsc --noEmit -p .\n${output}${code === 0 ? 'type check: no errors' : ''}`);
  if (code !== 0) {
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

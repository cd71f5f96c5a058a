import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The suite's vitest tiers, decided by what a test file reaches through its imports:
 * - unit: no database client and no child processes (pure computation, files, models). These run
 *   in parallel and need no database; `npm run test:unit` runs only them.
 * - integration: it reaches a database client (server/db/client.ts, or `pg` / `pg-boss` directly) or code
 *   that may start processes (node:child_process). Each file runs on a database of its own, so
 *   these run in parallel too.
 * - process: the file itself starts processes (child_process in its own text, or a test/ helper
 *   that does: workers, `npm start`, the CLI) to prove start-up, supervision and crash recovery.
 *   Much of their time is waiting (a dead worker's heartbeat, a restart), so they run in parallel
 *   beside the integration files, which use the cores meanwhile.
 * - timed: a process file that asserts how long its processes take (a worker back within 10 s)
 *   says so with a line `// @timed: <what it times>`; those run one at a time, after everything
 *   else in vitest, so that no other file's load is in their clock.
 * Derived, not listed (except the @timed line, which the file itself carries), so a new test file
 * lands in the right tier without anyone deciding.
 */
const ROOT = path.resolve(import.meta.dirname, '..');
const MARKS = [path.join(ROOT, 'server/db/client.ts')];
const IMPORT = /(?:from\s+|import\s*\(\s*|import\s+)['"]([^'"]+)['"]/g;

function resolveImport(from: string, spec: string): string | null {
  let base: string;
  if (spec.startsWith('.')) base = path.resolve(path.dirname(from), spec);
  else if (spec.startsWith('@/')) base = path.join(ROOT, spec.slice(2));
  else return null;
  for (const c of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) if (existsSync(c) && statSync(c).isFile()) return c;
  return null;
}

const reaches = new Map<string, boolean>();

/** Whether `file` reaches the database client or child processes through its imports. */
function needsIntegration(file: string, seen = new Set<string>()): boolean {
  const known = reaches.get(file);
  if (known !== undefined) return known;
  if (seen.has(file)) return false;
  seen.add(file);
  if (MARKS.includes(file)) return true;
  const text = readFileSync(file, 'utf8');
  let result = /['"](node:)?child_process['"]/.test(text) || /from\s+['"]pg(-boss)?['"]/.test(text);
  for (const m of text.matchAll(IMPORT)) {
    if (result) break;
    const target = resolveImport(file, m[1]);
    if (target && /\.tsx?$/.test(target) && needsIntegration(target, seen)) result = true;
  }
  // A cycle member's answer may be incomplete until the walk unwinds; only cache it at the top.
  if (seen.size === 1 || result) reaches.set(file, result);
  return result;
}

function testFiles(dir = ROOT, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', '.next', '.pixeldrive', '.git', 'e2e', 'generated'].includes(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) testFiles(p, out);
    else if (e.name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}

const SPAWNS = /['"](node:)?child_process['"]/;

/** Whether the test file starts processes itself, or through a helper of test/. */
function startsProcesses(file: string): boolean {
  const text = readFileSync(file, 'utf8');
  if (SPAWNS.test(text)) return true;
  for (const m of text.matchAll(IMPORT)) {
    const target = resolveImport(file, m[1]);
    if (target?.startsWith(path.join(ROOT, 'test') + path.sep) && SPAWNS.test(readFileSync(target, 'utf8'))) return true;
  }
  return false;
}

/** Whether the process file times its processes (its own `// @timed: …` line). */
const TIMED = /^\/\/ @timed: \S/m;

export type Tier = 'unit' | 'integration' | 'process' | 'timed';

/** Test files of each tier, relative to the repository root. */
export function tiers(): Record<Tier, string[]> {
  const out: Record<Tier, string[]> = { unit: [], integration: [], process: [], timed: [] };
  for (const f of testFiles().sort()) {
    const tier: Tier = !needsIntegration(f, new Set())
      ? 'unit'
      : !startsProcesses(f)
        ? 'integration'
        : TIMED.test(readFileSync(f, 'utf8'))
          ? 'timed'
          : 'process';
    out[tier].push(path.relative(ROOT, f));
  }
  return out;
}

import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * The suite's two vitest tiers, decided by what a test file reaches through its imports:
 * - integration: it reaches a database client (server/db/client.ts, or `pg` / `pg-boss` directly) or
 *   starts processes (node:child_process). These run one file at a time, each on a database of its own.
 * - unit: everything else (pure computation, files, models). These run in parallel and need no
 *   database; `npm run test:unit` runs only them.
 * Derived, not listed, so a new test file lands in the right tier without anyone deciding.
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

/** Test files of each tier, relative to the repository root. */
export function tiers(): { unit: string[]; integration: string[] } {
  const unit: string[] = [];
  const integration: string[] = [];
  for (const f of testFiles().sort()) (needsIntegration(f, new Set()) ? integration : unit).push(path.relative(ROOT, f));
  return { unit, integration };
}

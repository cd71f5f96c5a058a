import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOTS = ['app', 'server', 'models', 'scripts', 'test', 'e2e'];
const SKIP = new Set(['node_modules', 'generated', '.next']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return SKIP.has(e.name) ? [] : sourceFiles(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** The project files a file imports (static, re-export, side-effect and dynamic imports; `@/` is the root). */
function importsOf(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const specs = [...src.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g)].map(
    (m) => m[1] ?? m[2] ?? m[3],
  );
  return specs.flatMap((spec) => {
    const base = spec.startsWith('@/') ? spec.slice(2) : spec.startsWith('.') ? path.join(path.dirname(file), spec) : null;
    if (base === null) return [];
    const hit = [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')].find((c) => existsSync(c) && /\.tsx?$/.test(c));
    return hit ? [path.normalize(hit)] : [];
  });
}

/** Import cycles as lists of nodes (depth-first search, one cycle reported per back edge). */
function findCycles(graph: Map<string, string[]>): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const g of graph.get(f) ?? []) {
      if (state.get(g) === 'open') cycles.push([...stack.slice(stack.indexOf(g)), g]);
      else if (!state.has(g)) visit(g);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of graph.keys()) if (!state.has(f)) visit(f);
  return cycles;
}

/**
 * The folder a file belongs to for the layering check, or null for a file outside it.
 * - Under server/, each direct subfolder is one node (`server/jobs/`), and the files directly in
 *   server/ (config.ts, errors.ts, random.ts, …) are one node together, `server/*.ts`: they are
 *   the base every folder may use, so they use no folder themselves.
 * - Elsewhere, the top-level folder: app/, models/, scripts/ (and server/ as a whole, seen from them).
 * Tests (`*.test.ts`) and the test helpers in test/ and e2e/ are left out: a test may reach
 * whatever its subject's callers reach, so its imports say nothing about the layering.
 */
function serverFolderOf(file: string): string | null {
  const parts = file.split('/');
  if (parts[0] !== 'server' || /\.test\.tsx?$/.test(file)) return null;
  return parts.length === 2 ? 'server/*.ts' : `server/${parts[1]}/`;
}
function topFolderOf(file: string): string | null {
  const top = file.split('/')[0];
  return ['app', 'models', 'server', 'scripts'].includes(top) && !/\.test\.tsx?$/.test(file) ? `${top}/` : null;
}

/**
 * Cycles between folders, each as one line naming every edge with one import that makes it:
 * `server/jobs/ → server/evaluation/ (server/jobs/handlers.ts imports server/evaluation/x.ts) → …`.
 */
function folderCycles(files: Map<string, string[]>, folderOf: (file: string) => string | null): string[] {
  const example = new Map<string, string>();
  const graph = new Map<string, string[]>();
  for (const [file, imports] of files) {
    const a = folderOf(file);
    if (a === null) continue;
    if (!graph.has(a)) graph.set(a, []);
    for (const target of imports) {
      const b = folderOf(target);
      if (b === null || b === a || example.has(`${a}\0${b}`)) continue;
      example.set(`${a}\0${b}`, `${file} imports ${target}`);
      graph.get(a)!.push(b);
    }
  }
  return findCycles(graph).map((cycle) => cycle.map((f, i) => (i === 0 ? f : `→ ${f} (${example.get(`${cycle[i - 1]}\0${f}`)})`)).join(' '));
}

const projectFiles = () =>
  new Map(
    ROOTS.filter((r) => existsSync(r))
      .flatMap(sourceFiles)
      .map((f) => [path.normalize(f), importsOf(f)] as const),
  );

describe('module graph', () => {
  it('finds a cycle when there is one (the check itself works)', () => {
    expect(
      findCycles(
        new Map([
          ['a', ['b']],
          ['b', ['c']],
          ['c', ['a']],
          ['d', ['a']],
        ]),
      ),
    ).toEqual([['a', 'b', 'c', 'a']]);
  });

  it('finds a cycle between folders that no file cycle shows, naming one import per edge', () => {
    const files = new Map([
      ['server/jobs/handlers.ts', ['server/evaluation/run.ts']],
      ['server/evaluation/run.ts', ['server/config.ts']],
      ['server/evaluation/queue.ts', ['server/jobs/enqueue.ts']],
      ['server/jobs/enqueue.ts', []],
      ['server/config.ts', []],
      ['server/evaluation/run.test.ts', ['server/jobs/handlers.ts']],
    ]);
    expect(findCycles(files)).toEqual([]);
    expect(folderCycles(files, serverFolderOf)).toEqual([
      'server/jobs/ → server/evaluation/ (server/jobs/handlers.ts imports server/evaluation/run.ts) → server/jobs/ (server/evaluation/queue.ts imports server/jobs/enqueue.ts)',
    ]);
  });

  it('has no import cycles: each module can be read (and loaded) before the ones that use it', () => {
    const files = projectFiles();
    expect(files.size).toBeGreaterThan(100);
    expect(findCycles(files)).toEqual([]);
  });

  it('has no cycles between the folders of server/, nor between app/, models/, server/ and scripts/', () => {
    const files = projectFiles();
    expect(folderCycles(files, serverFolderOf)).toEqual([]);
    expect(folderCycles(files, topFolderOf)).toEqual([]);
  });
});

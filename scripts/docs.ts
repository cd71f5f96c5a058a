import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { applyTables, documentFiles, renderTables } from './docs/render-tables.ts';

/**
 * `npm run docs`: rewrites every marked table in README.md and docs/ from bench-results/ and the
 * checkpoint cards. Only the marked blocks change; prose is never touched.
 */
const root = process.cwd();
const tables = renderTables(root);
for (const file of documentFiles(root)) {
  const full = path.join(root, file);
  const text = readFileSync(full, 'utf8');
  const next = applyTables(text, tables);
  if (next !== text) {
    writeFileSync(full, next);
    console.log(`updated ${file}`);
  }
}

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorsOf, brokenLinks, headingSlug } from './check-links.ts';
import { applyTables, documentFiles, renderTables, TABLES, tableNames } from './render-tables.ts';

const root = path.resolve(import.meta.dirname, '../..');
const tables = renderTables(root);
const files = documentFiles(root);
const read = (f: string) => readFileSync(path.join(root, f), 'utf8');

describe('renderTables', () => {
  it.each(files)('%s: every committed table is what npm run docs renders from bench-results/ and the cards', (file) => {
    const text = read(file);
    for (const name of tableNames(text)) {
      const committed = text.match(new RegExp(`<!-- table:${name} -->\\n([\\s\\S]*?)\\n<!-- /table -->`))![1];
      expect(committed.split('\n'), `${file}: table "${name}" differs from its measurements; run npm run docs`).toEqual(tables[name].split('\n'));
    }
  });

  it('places every table it can render in some document, once', () => {
    const placed = files.flatMap((f) => tableNames(read(f)));
    expect(placed.sort()).toEqual(Object.keys(TABLES).sort());
  });

  it('writes numbers only from the files it names', () => {
    for (const [name, body] of Object.entries(tables)) expect(body, name).toMatch(/_Source: .*`(bench-results|models\/checkpoints)\/[^`]+`/);
  });
});

describe('applyTables', () => {
  it('returns a different document when a number in a committed table is edited', () => {
    const file = files.find((f) => tableNames(read(f)).includes('results-variants'))!;
    const text = read(file);
    const edited = text.replace(/(<!-- table:results-variants -->[\s\S]*?)(\d+\.\d+ KiB)/, (_, head: string) => `${head}1.0 KiB`);
    expect(edited).not.toBe(text);
    expect(applyTables(edited, tables)).toBe(text);
  });

  it('refuses a marker whose table it does not know', () => {
    expect(() => applyTables('<!-- table:nope -->\nx\n<!-- /table -->', tables)).toThrow('unknown table "nope"');
  });
});

describe('brokenLinks', () => {
  it.each(files)('%s: every relative link resolves to a file and, with #, to a heading', (file) => {
    expect(brokenLinks(root, file)).toEqual([]);
  });

  it('slugs headings as GitHub does', () => {
    expect(headingSlug('Beyond mIoU: safety, calibration')).toBe('beyond-miou-safety-calibration');
    expect(headingSlug('Performance (`npm run bench`)')).toBe('performance-npm-run-bench');
    expect([...anchorsOf('# A\n## A\n```\n# not a heading\n```\n')]).toEqual(['a', 'a-1']);
  });
});

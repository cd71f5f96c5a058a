import path from 'node:path';

/** A path as a message shows it: relative when inside the working folder, absolute elsewhere. */
export function shownPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') ? rel : p;
}

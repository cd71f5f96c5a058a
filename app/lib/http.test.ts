import { describe, expect, it } from 'vitest';
import { toCsv } from './http.ts';

describe('toCsv', () => {
  it('keeps text a spreadsheet would run as a formula as text, and numbers as numbers', () => {
    const rows = [
      { name: '=HYPERLINK("http://evil.example")', n: -0.25 },
      { name: '+1', n: 3 },
      { name: '-2+3', n: 0 },
      { name: '@SUM(A1)', n: 1 },
      { name: '\tx', n: 1 },
      { name: '\rx', n: 1 },
      { name: 'plain, with comma', n: null },
    ];
    expect(toCsv(rows).split('\n')).toEqual([
      'name,n',
      `"'=HYPERLINK(""http://evil.example"")",-0.25`,
      "'+1,3",
      "'-2+3,0",
      "'@SUM(A1),1",
      "'\tx,1",
      `"'\rx",1`,
      '"plain, with comma",',
      '',
    ]);
  });
});

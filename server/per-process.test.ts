import { describe, expect, it } from 'vitest';
import { perProcess } from './per-process.ts';

describe('perProcess', () => {
  it('makes the value once and hands the same one to every later caller of the key', () => {
    let made = 0;
    const make = () => ({ n: ++made });
    const a = perProcess('PerProcessTest', make);
    const b = perProcess('PerProcessTest', make);
    expect(b).toBe(a);
    expect(made).toBe(1);
    expect(perProcess('PerProcessTestOther', make)).toEqual({ n: 2 });
  });
});

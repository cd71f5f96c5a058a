import { describe, expect, it } from 'vitest';
import { sizeFlag, UsageError } from './args.ts';

describe('sizeFlag', () => {
  const def = { width: 256, height: 192 };

  it('returns the default when the flag is absent and parses WxH when given', () => {
    expect(sizeFlag({}, 'input', def)).toEqual(def);
    expect(sizeFlag({ input: '384x288' }, 'input', def)).toEqual({ width: 384, height: 288 });
  });

  it.each(['384', '384x', 'x288', '384x300', '16x16', '384X288', '-384x288', '384x288x3'])('refuses %s with a usage error naming the flag', (v) => {
    expect(() => sizeFlag({ input: v }, 'input', def)).toThrow(UsageError);
    expect(() => sizeFlag({ input: v }, 'input', def)).toThrow(/--input must be WxH/);
  });
});

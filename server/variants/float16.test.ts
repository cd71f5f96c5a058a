import { describe, expect, it } from 'vitest';
import { fromFloat16Bits, toFloat16Bits } from './float16.ts';

describe('toFloat16Bits', () => {
  it('returns the bits of known half values', () => {
    expect(toFloat16Bits(1)).toBe(0x3c00);
    expect(toFloat16Bits(-2)).toBe(0xc000);
    expect(toFloat16Bits(65504)).toBe(0x7bff);
    expect(toFloat16Bits(1e6)).toBe(0x7c00);
    expect(toFloat16Bits(2 ** -24)).toBe(0x0001);
    expect(toFloat16Bits(2 ** -26)).toBe(0x0000);
    expect(toFloat16Bits(NaN) & 0x7e00).toBe(0x7e00);
  });

  it('rounds every sampled float32 to the nearest half (ties to even), checked against its neighbours', () => {
    let seed = 1;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 20000; i++) {
      const x = Math.fround((rand() - 0.5) * 2 ** Math.floor(rand() * 40 - 26));
      const h = toFloat16Bits(x);
      const err = Math.abs(fromFloat16Bits(h) - x);
      for (const n of [h - 1, h + 1]) {
        if ((n & 0x7c00) === 0x7c00 || (n & 0x7fff) === 0x7fff) continue;
        const other = Math.abs(fromFloat16Bits(n) - x);
        expect(err <= other, `${x}: ${h.toString(16)} vs ${n.toString(16)}`).toBe(true);
        if (err === other) expect(h & 1).toBe(0);
      }
    }
  });
});

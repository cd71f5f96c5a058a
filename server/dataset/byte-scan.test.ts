import { describe, expect, it } from 'vitest';
import { anyByteAtLeast, greenBlueAllZero } from './byte-scan.ts';

describe('anyByteAtLeast', () => {
  it('agrees with a plain scan for every byte value, position and offset', () => {
    for (const limit of [1, 13, 100, 128]) {
      for (const offset of [0, 1, 4]) {
        for (let v = 0; v < 256; v += 1) {
          const buf = new Uint8Array(23 + offset);
          const pos = offset + ((v * 7) % 23);
          buf[pos] = v;
          const view = buf.subarray(offset);
          expect(anyByteAtLeast(view, limit), `limit ${limit} value ${v} at ${pos}`).toBe(v >= limit);
        }
      }
    }
  });
});

describe('greenBlueAllZero', () => {
  it('agrees with a per-pixel check for a set byte at every position, both layouts and offsets', () => {
    for (const channels of [3, 4] as const) {
      for (const offset of [0, 1, 4]) {
        const pixels = 37; // not a multiple of 4: the tail runs byte by byte
        for (let pos = 0; pos < pixels * channels; pos++) {
          const buf = new Uint8Array(pixels * channels + offset).fill(9, offset); // red and alpha set everywhere
          const view = buf.subarray(offset);
          for (let p = 0; p < view.length; p += channels) view[p + 1] = view[p + 2] = 0;
          view[pos] = 200;
          const plain = Array.from({ length: pixels }, (_, i) => view[i * channels + 1] === 0 && view[i * channels + 2] === 0).every(Boolean);
          expect(greenBlueAllZero(view, channels), `${channels} channels, offset ${offset}, byte ${pos}`).toBe(plain);
        }
      }
    }
  });
});

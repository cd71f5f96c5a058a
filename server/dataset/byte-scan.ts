/**
 * Whole-frame scans four bytes per step: a label check runs on every pixel of every frame of
 * a dataset, and byte-by-byte loops cost more than decoding the PNG.
 */

/** Whether any byte is >= `limit` (1..128), four bytes per step. */
export function anyByteAtLeast(data: Uint8Array, limit: number): boolean {
  let i = 0;
  if (data.byteOffset % 4 === 0 && limit >= 1 && limit <= 128) {
    // Per byte b: the high bit of (b & 0x7f) + (128 - limit) is set iff b & 0x7f >= limit; b >= 128 shows in b itself.
    const add = (128 - limit) * 0x01010101;
    const words = new Uint32Array(data.buffer, data.byteOffset, data.length >> 2);
    for (; i < words.length; i++) {
      const w = words[i];
      if (((w | ((w & 0x7f7f7f7f) + add)) & 0x80808080) !== 0) return true;
    }
    i <<= 2;
  }
  for (; i < data.length; i++) if (data[i] >= limit) return true;
  return false;
}

/**
 * Whether every pixel of interleaved 8-bit RGB (3 channels) or RGBA (4) has green and blue 0.
 * RGB repeats its byte pattern every 12 bytes = 3 little-endian words, so the check ORs each
 * word with the mask of its green/blue bytes.
 */
export function greenBlueAllZero(data: Uint8Array, channels: 3 | 4): boolean {
  const masks = channels === 4 ? [0x00ffff00] : [0x00ffff00, 0xff00ffff, 0xffff00ff];
  const step = masks.length * 4;
  const aligned = data.byteOffset % 4 === 0 ? data.length - (data.length % step) : 0;
  if (aligned > 0) {
    const words = new Uint32Array(data.buffer, data.byteOffset, aligned >> 2);
    let acc = 0;
    if (channels === 4) for (let i = 0; i < words.length; i++) acc |= words[i] & 0x00ffff00;
    else for (let i = 0; i < words.length; i += 3) acc |= (words[i] & 0x00ffff00) | (words[i + 1] & 0xff00ffff) | (words[i + 2] & 0xffff00ff);
    if (acc !== 0) return false;
  }
  for (let p = aligned; p < data.length; p += channels) if (data[p + 1] !== 0 || data[p + 2] !== 0) return false;
  return true;
}

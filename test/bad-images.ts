import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { deflateSync } from 'node:zlib';
import { DRIVE_DIR, OFFICIAL_DIR } from './fixtures.ts';

function crc32(buf: Uint8Array): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

/** A 20000×20000 PNG whose header is honest and whose payload is tiny: a decompression bomb. */
function pngBomb(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(20000, 0);
  ihdr.writeUInt32BE(20000, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const row = Buffer.alloc(20001);
  const idat = deflateSync(Buffer.concat(Array.from({ length: 64 }, () => row)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', new Uint8Array()),
  ]);
}

/** A real two-frame animated GIF (1×1 pixels, NETSCAPE loop). */
export function animatedGif(): Buffer {
  const frame = [0x21, 0xf9, 0x04, 0x00, 0x0a, 0x00, 0x00, 0x00, 0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00];
  return Buffer.from([
    ...Buffer.from('GIF89a', 'ascii'),
    1,
    0,
    1,
    0,
    0x80,
    0,
    0,
    255,
    0,
    0,
    0,
    0,
    255,
    0x21,
    0xff,
    0x0b,
    ...Buffer.from('NETSCAPE2.0', 'ascii'),
    0x03,
    0x01,
    0x00,
    0x00,
    0x00,
    ...frame,
    ...frame,
    0x3b,
  ]);
}

export async function realPng(): Promise<Buffer> {
  return readFile(path.join(OFFICIAL_DIR, 'CameraRGB/train_0.png'));
}

export async function realJpeg(): Promise<Buffer> {
  return readFile(path.join(DRIVE_DIR, 'CameraRGB/000_0021.jpg'));
}

export async function badInputs(): Promise<{ name: string; bytes: Buffer; status: number; message: RegExp }[]> {
  const png = await realPng();
  const jpg = await realJpeg();
  const corruptJpeg = Buffer.from(jpg);
  corruptJpeg.fill(0x00, 600, 6000); // wipe the Huffman tables and the start of the scan
  const huge = Buffer.alloc(50 * 1024 * 1024);
  png.copy(huge, 0, 0, 64);
  return [
    { name: 'empty.png', bytes: Buffer.alloc(0), status: 400, message: /empty/ },
    { name: 'notes.png', bytes: Buffer.from('just some text pretending to be an image\n'), status: 415, message: /not a PNG, JPEG or WebP/ },
    { name: 'truncated.png', bytes: png.subarray(0, Math.floor(png.length / 2)), status: 400, message: /damaged or truncated/ },
    {
      name: 'drawing.svg',
      bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600"><rect width="800" height="600"/></svg>'),
      status: 415,
      message: /not a PNG, JPEG or WebP/,
    },
    { name: 'bomb.png', bytes: pngBomb(), status: 413, message: /20000×20000.*limit is 25 megapixels/ },
    { name: 'huge.png', bytes: huge, status: 413, message: /limit is 10 MB/ },
    { name: 'corrupt.jpg', bytes: corruptJpeg, status: 400, message: /damaged/ },
    { name: 'animated.gif', bytes: animatedGif(), status: 415, message: /GIF files .* are not accepted/ },
  ];
}

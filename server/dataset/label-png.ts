import { promisify } from 'node:util';
import zlib from 'node:zlib';
import sharp from 'sharp';
import type { LabelMap } from './image-types.ts';
import { MAX_INPUT_PIXELS } from './pixel-limit.ts';

/**
 * A small PNG codec for label maps. Evaluation decodes a ground-truth label and encodes a
 * prediction for every image, on the same cores as the network's forward pass, so both
 * directions skip the general-purpose image pipeline (evaluation throughput in docs/performance.md):
 * - decoding inflates the IDAT stream and un-filters only the first (red) channel. For
 *   8-bit images a PNG filter reads the same channel of the neighbouring pixels (its
 *   byte distance is the pixel size), so the red channel reconstructs on its own.
 * - encoding writes 8-bit greyscale with filter None, deflated with the run-length
 *   strategy (label maps are long runs of one class): faster and smaller than sharp's PNG.
 * Anything outside the fast path (16-bit, interlaced) goes through sharp.
 */

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
const deflate = promisify(zlib.deflate);
const inflate = promisify(zlib.inflate);

/** Lossless 8-bit greyscale PNG, one class id (or 255) per pixel. */
export async function encodeLabelPng(label: LabelMap): Promise<Uint8Array<ArrayBuffer>> {
  const { width, height, data } = label;
  if (data.length !== width * height) throw new RangeError(`encodeLabelPng: ${data.length} values for ${width}x${height}`);
  const rows = Buffer.alloc(height * (width + 1)); // filter byte 0 (None) leads each row
  for (let y = 0; y < height; y++) rows.set(data.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  const idat = await deflate(rows, { level: 6, strategy: zlib.constants.Z_RLE, chunkSize: Math.max(rows.length, 64) });
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit, greyscale, deflate, adaptive filtering, not interlaced
  const out = Buffer.concat([SIGNATURE, pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
  return new Uint8Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.length));
}

/** One PNG chunk: length, type, body and its CRC (also used by test fixtures that write palette PNGs). */
export function pngChunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body, zlib.crc32(head.subarray(4))), 0);
  return Buffer.concat([head, body, crc]);
}

/** The first channel of any PNG: red for RGB(A), the grey value or the palette entry's red otherwise. */
export async function decodeLabelPng(bytes: Uint8Array, opts: { maxPixels?: number } = {}): Promise<LabelMap> {
  return (await decodePngRedChannel(bytes, opts)) ?? decodeFirstChannelWithSharp(bytes, opts.maxPixels);
}

async function decodeFirstChannelWithSharp(bytes: Uint8Array, maxPixels?: number): Promise<LabelMap> {
  const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels ?? MAX_INPUT_PIXELS })
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

/**
 * The red channel of an 8-bit, non-interlaced PNG, or null when the file is a PNG this fast
 * path does not cover. Throws on a file that is not a valid PNG (bad signature, missing or
 * truncated image data, palette index without a palette entry).
 */
export async function decodePngRedChannel(bytes: Uint8Array, opts: { maxPixels?: number } = {}): Promise<LabelMap | null> {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 8 || !buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG file (bad signature)');
  let pos = 8;
  let header: { width: number; height: number; bitDepth: number; colorType: number; interlace: number } | null = null;
  let palette: Buffer | null = null;
  const idat: Buffer[] = [];
  for (;;) {
    if (pos + 8 > buf.length) throw new Error('truncated PNG (no IEND chunk)');
    const length = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    const body = buf.subarray(pos + 8, pos + 8 + length);
    if (body.length !== length || pos + 12 + length > buf.length) throw new Error(`truncated PNG (${type} chunk cut short)`);
    pos += 12 + length;
    if (type === 'IHDR') {
      if (length !== 13) throw new Error('corrupt PNG header');
      header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), bitDepth: body[8], colorType: body[9], interlace: body[12] };
    } else if (type === 'PLTE') palette = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
  }
  if (!header) throw new Error('corrupt PNG (no IHDR chunk)');
  const { width, height, bitDepth, colorType, interlace } = header;
  const channels = CHANNELS[colorType];
  if (!channels) throw new Error(`corrupt PNG (colour type ${colorType})`);
  if (width === 0 || height === 0) throw new Error('corrupt PNG (empty image)');
  if (width * height > (opts.maxPixels ?? MAX_INPUT_PIXELS)) throw new Error(`PNG of ${width}x${height} pixels exceeds the pixel limit`);
  if (bitDepth !== 8 || interlace !== 0) return null;
  if (colorType === 3 && !palette) throw new Error('corrupt PNG (palette image without PLTE)');
  if (!idat.length) throw new Error('corrupt PNG (no image data)');

  const stride = width * channels + 1;
  const expected = stride * height;
  let raw: Buffer;
  try {
    // One output chunk: zlib's default 16 KiB chunks cost a thread-pool round trip each.
    raw = await inflate(idat.length === 1 ? idat[0] : Buffer.concat(idat), { chunkSize: Math.max(expected, 64), maxOutputLength: expected });
  } catch (e) {
    throw new Error(`corrupt PNG image data (${(e as Error).message})`);
  }
  if (raw.length !== expected) throw new Error(`truncated PNG image data (${raw.length} of ${expected} bytes)`);

  const out = unfilterFirstChannel(raw, width, height, channels);
  if (colorType === 3) {
    const entries = palette!.length / 3;
    for (let i = 0; i < out.length; i++) {
      if (out[i] >= entries) throw new Error(`corrupt PNG (palette index ${out[i]} of ${entries} entries)`);
      out[i] = palette![out[i] * 3];
    }
  }
  return { width, height, data: out };
}

/** Reconstructs channel 0 of 8-bit PNG scanlines (filter byte + width·channels bytes per row). */
function unfilterFirstChannel(raw: Uint8Array, width: number, height: number, channels: number): Uint8Array {
  const stride = width * channels + 1;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * stride];
    const row = y * stride + 1;
    const o = y * width;
    const up = o - width; // previous row of `out` (only read when y > 0)
    switch (filter) {
      case 0:
        for (let x = 0; x < width; x++) out[o + x] = raw[row + x * channels];
        break;
      case 1: {
        let a = 0;
        for (let x = 0; x < width; x++) out[o + x] = a = (raw[row + x * channels] + a) & 255;
        break;
      }
      case 2:
        if (y === 0) for (let x = 0; x < width; x++) out[o + x] = raw[row + x * channels];
        else for (let x = 0; x < width; x++) out[o + x] = (raw[row + x * channels] + out[up + x]) & 255;
        break;
      case 3: {
        let a = 0;
        for (let x = 0; x < width; x++) out[o + x] = a = (raw[row + x * channels] + ((a + (y ? out[up + x] : 0)) >> 1)) & 255;
        break;
      }
      case 4: {
        let a = 0;
        for (let x = 0; x < width; x++) {
          const b = y ? out[up + x] : 0;
          const c = y && x ? out[up + x - 1] : 0;
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          out[o + x] = a = (raw[row + x * channels] + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 255;
        }
        break;
      }
      default:
        throw new Error(`corrupt PNG (row ${y} has filter type ${filter})`);
    }
  }
  return out;
}

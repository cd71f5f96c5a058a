import sharp from 'sharp';
import { AppError } from '../errors.ts';
import type { RgbImage } from '../dataset/image-types.ts';
import { MAX_INPUT_PIXELS } from '../dataset/pixel-limit.ts';

const MAX_UPLOAD_MB = 10;
export const MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024;
/** The limits as a user reads them ("10 MB", "25 megapixels"), for every message that states them. */
export const UPLOAD_LIMITS_TEXT = { bytes: `${MAX_UPLOAD_MB} MB`, pixels: `${MAX_INPUT_PIXELS / 1e6} megapixels` };
const MIN_UPLOAD_SIDE = 32;

type SniffedType = 'image/png' | 'image/jpeg' | 'image/webp';

/** The type by the file's first bytes, never by its name or the browser's claim. */
export function sniffImageType(b: Uint8Array): SniffedType | 'image/gif' | null {
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a)
    return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 12 && String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP') return 'image/webp';
  if (b.length >= 6 && /^GIF8[79]a$/.test(String.fromCharCode(...b.subarray(0, 6)))) return 'image/gif';
  return null;
}

/**
 * Validates and decodes an upload: 1 byte .. MAX_UPLOAD_BYTES; PNG, JPEG or WebP by magic bytes
 * (GIF, SVG, text... refused); at most MAX_INPUT_PIXELS read from the header BEFORE decoding
 * (a decompression bomb is never expanded); strict decode (truncated or corrupt data is an
 * error); EXIF orientation applied; alpha dropped; an animated WebP uses its first frame.
 */
export async function decodeUpload(bytes: Uint8Array, fileName: string): Promise<{ image: RgbImage; mime: SniffedType }> {
  if (bytes.length === 0) throw new AppError('INVALID_INPUT', `${fileName}: empty file`, 'The file is empty (0 bytes).');
  if (bytes.length > MAX_UPLOAD_BYTES) {
    throw new AppError(
      'TOO_LARGE',
      `${fileName}: ${bytes.length} bytes`,
      `The file is ${(bytes.length / 1048576).toFixed(1)} MB; the limit is ${UPLOAD_LIMITS_TEXT.bytes}.`,
    );
  }
  const type = sniffImageType(bytes);
  if (type === 'image/gif')
    throw new AppError('UNSUPPORTED_MEDIA', `${fileName}: GIF`, 'GIF files (animated or not) are not accepted: upload a PNG, JPEG or WebP photo.');
  if (!type)
    throw new AppError('UNSUPPORTED_MEDIA', `${fileName}: unknown type`, 'This is not a PNG, JPEG or WebP image (checked by its content, not its name).');
  let meta: Awaited<ReturnType<ReturnType<typeof sharp>['metadata']>>;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new AppError('INVALID_INPUT', `${fileName}: unreadable header`, 'The image is damaged: its header cannot be read.');
  }
  const w = meta.width ?? 0;
  const h = meta.height ?? 0;
  if (!w || !h) throw new AppError('INVALID_INPUT', `${fileName}: no dimensions`, 'The image is damaged: it has no size.');
  if (w * h > MAX_INPUT_PIXELS) {
    throw new AppError(
      'TOO_LARGE',
      `${fileName}: ${w}x${h}`,
      `The image is ${w}×${h} (${((w * h) / 1e6).toFixed(0)} megapixels); the limit is ${UPLOAD_LIMITS_TEXT.pixels}.`,
    );
  }
  if (w < MIN_UPLOAD_SIDE || h < MIN_UPLOAD_SIDE) {
    throw new AppError('INVALID_INPUT', `${fileName}: ${w}x${h}`, `The image is only ${w}×${h}; at least ${MIN_UPLOAD_SIDE}×${MIN_UPLOAD_SIDE} is needed.`);
  }
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'warning', pages: 1 })
      .rotate()
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    return { image: { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) }, mime: type };
  } catch {
    throw new AppError('INVALID_INPUT', `${fileName}: decode failed`, 'The image is damaged or truncated and cannot be decoded.');
  }
}

import sharp from 'sharp';
import { AppError } from '../errors.ts';
import { NUM_CLASSES } from '../../models/classes.ts';
import { decodeLabelPng } from './label-png.ts';
import type { LabelMap, RgbImage } from './image-types.ts';
import { MAX_INPUT_PIXELS } from './pixel-limit.ts';

export async function decodeRgb(bytes: Uint8Array, fileName: string): Promise<RgbImage> {
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels, got ${info.channels}`);
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (e) {
    throw new AppError('INVALID_DATASET', `${fileName}: cannot decode image (${(e as Error).message})`);
  }
}

/**
 * Decodes a CARLA label PNG. The class id sits in the RED channel; green and blue
 * must be 0 (a colourised palette image is refused, not guessed at). Single-channel
 * PNGs hold the id directly.
 */
export async function decodeLabel(bytes: Uint8Array, fileName: string): Promise<LabelMap> {
  let raw: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    raw = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' })
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (e) {
    throw new AppError('INVALID_DATASET', `${fileName}: cannot decode label PNG (${(e as Error).message})`);
  }
  const { width, height, channels } = raw.info;
  const src = raw.data;
  const out = new Uint8Array(width * height);
  if (channels === 1 || channels === 2) {
    for (let i = 0; i < out.length; i++) out[i] = src[i * channels];
  } else {
    for (let i = 0, p = 0; i < out.length; i++, p += channels) {
      if (src[p + 1] !== 0 || src[p + 2] !== 0) {
        const x = i % width;
        const y = Math.floor(i / width);
        throw new AppError(
          'INVALID_DATASET',
          `${fileName}: colourised label at pixel (${x}, ${y}): rgb(${src[p]}, ${src[p + 1]}, ${src[p + 2]}); ` +
            'CARLA labels keep the class id in the red channel with green and blue 0',
        );
      }
      out[i] = src[p];
    }
  }
  for (let i = 0; i < out.length; i++) {
    if (out[i] >= NUM_CLASSES) {
      throw new AppError(
        'INVALID_DATASET',
        `${fileName}: label value ${out[i]} at pixel (${i % width}, ${Math.floor(i / width)}) is outside 0..${NUM_CLASSES - 1}`,
      );
    }
  }
  return { width, height, data: out };
}

/**
 * Fast path for labels of a dataset that was validated at registration: decodes only the
 * red channel (no colourisation check, which `decodeLabel` did at import; see label-png.ts)
 * and still refuses values outside 0..12.
 */
export async function decodeRegisteredLabel(bytes: Uint8Array, fileName: string): Promise<LabelMap> {
  let label: LabelMap;
  try {
    label = await decodeLabelPng(bytes, { maxPixels: MAX_INPUT_PIXELS });
  } catch (e) {
    throw new AppError('INVALID_DATASET', `${fileName}: cannot decode label PNG (${(e as Error).message})`);
  }
  const { data, width } = label;
  if (anyByteAtLeast(data, NUM_CLASSES)) {
    const i = data.findIndex((v) => v >= NUM_CLASSES);
    throw new AppError('INVALID_DATASET', `${fileName}: label value ${data[i]} at pixel (${i % width}, ${Math.floor(i / width)}) is outside 0..${NUM_CLASSES - 1}`);
  }
  return label;
}

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

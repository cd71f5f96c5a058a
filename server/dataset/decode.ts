import path from 'node:path';
import sharp from 'sharp';
import { AppError } from '../errors.ts';
import { decodeLabelIds } from './decode-label-ids.ts';
import type { LabelMap, RgbImage } from './image-types.ts';
import type { LabelPalette } from '../schemas/dataset.ts';
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
    throw new AppError(
      'INVALID_DATASET',
      `${fileName}: cannot decode image (${(e as Error).message})`,
      `${path.basename(fileName)} cannot be decoded as an image.`,
    );
  }
}

/**
 * Decodes and validates a label PNG in any accepted form (red channel, grey, palette index,
 * or CARLA colours with `palette: 'carla'`): ids 0..12, 255 = ignore; see decode-label-ids.ts.
 */
export async function decodeLabel(bytes: Uint8Array, fileName: string, palette: LabelPalette | null = null): Promise<LabelMap> {
  return (await decodeLabelIds(bytes, fileName, { palette, validate: true })).label;
}

/**
 * Labels of a dataset that was validated at registration: the fastest decode for the form
 * (red channel only for RGB labels), still refusing values outside 0..12 and 255.
 */
export async function decodeRegisteredLabel(bytes: Uint8Array, fileName: string, palette: LabelPalette | null = null): Promise<LabelMap> {
  return (await decodeLabelIds(bytes, fileName, { palette, validate: false })).label;
}

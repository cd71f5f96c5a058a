import sharp from 'sharp';
import type { LabelMap } from './decode.ts';

/** Lossless 8-bit greyscale PNG, one class id (or 255) per pixel. */
export async function encodeLabelPng(label: LabelMap): Promise<Uint8Array<ArrayBuffer>> {
  const buf = await sharp(Buffer.from(label.data.buffer, label.data.byteOffset, label.data.byteLength), {
    raw: { width: label.width, height: label.height, channels: 1 },
  })
    .png({ compressionLevel: 2, adaptiveFiltering: false, palette: false })
    .toBuffer();
  return new Uint8Array(buf);
}

/** Inverse of `encodeLabelPng` (first channel of whatever PNG it is given). */
export async function decodeLabelPng(bytes: Uint8Array): Promise<LabelMap> {
  const { data, info } = await sharp(bytes).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
}

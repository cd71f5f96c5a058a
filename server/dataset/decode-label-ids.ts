import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { IGNORE_INDEX, NUM_CLASSES, CLASSES } from '../../models/classes.ts';
import { AppError } from '../errors.ts';
import type { LabelMap } from './image-types.ts';
import { anyByteAtLeast, greenBlueAllZero } from './byte-scan.ts';
import { decodeLabelPng } from './label-png.ts';
import { carlaClassOfColour } from './label-forms.ts';
import type { LabelForm, LabelPalette } from '../schemas/dataset.ts';
import { MAX_INPUT_PIXELS } from './pixel-limit.ts';

/** Refuses the label: `why` is shown to the user with the file's name; `libraryText` (a decoder's message) only in the log. */
type Fail = (why: string, libraryText?: string) => never;

const inflate = promisify(zlib.inflate);
const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

export interface DecodedLabelIds {
  label: LabelMap;
  form: LabelForm;
  /** Pixels stored as 255 (ignore) in the file. */
  voidPixels: number;
}

export interface DecodeLabelIdsOptions {
  /** Labels stored in a colour palette (exact colours only). */
  palette?: LabelPalette | null;
  /**
   * true (check / import): every pixel is verified (green and blue 0 for red-channel labels,
   * exact palette colours) and counted. false (a registered dataset, already validated): the
   * fastest decode for the form, still refusing ids outside 0..12 and 255.
   */
  validate: boolean;
}

/**
 * Reads a label PNG as class ids in whichever form it stores them (LABEL_FORMS in server/schemas/dataset.ts). The
 * form follows from the PNG header and the palette option; every refusal names the file and,
 * for pixel errors, the pixel.
 */
export async function decodeLabelIds(bytes: Uint8Array, fileName: string, opts: DecodeLabelIdsOptions): Promise<DecodedLabelIds> {
  // The user reads the file's name and what is wrong with it; a decoder library's own text goes to the log only.
  const fail: Fail = (why, libraryText) => {
    throw new AppError('INVALID_DATASET', `${fileName}: ${why}${libraryText ? ` (${libraryText})` : ''}`, `${path.basename(fileName)}: ${why}.`);
  };
  let png: PngChunks;
  try {
    png = readPngChunks(bytes);
  } catch (e) {
    return fail('cannot decode label PNG', (e as Error).message);
  }
  const { colorType, bitDepth, interlace } = png.header;
  if (bitDepth === 16) fail('16-bit label PNG; store class ids as 8-bit');
  const carla = opts.palette === 'carla';
  let label: LabelMap;
  let form: LabelForm;
  if (colorType === 3 && interlace === 0) {
    const idx = await decodeOneByteSamples(png, fail);
    form = carla ? 'carla-colour' : 'palette-index';
    label = carla ? mapPaletteToCarla(idx, png.palette!, fail) : idx;
  } else if (carla) {
    form = 'carla-colour';
    label = mapColoursToCarla(await decodeWithSharp(bytes, fail), fail);
  } else if (colorType === 3) {
    return fail('interlaced palette PNG: its indices cannot be read; save it without interlacing');
  } else if (colorType === 0 || colorType === 4) {
    form = 'grey';
    label = interlace === 0 ? await decodeOneByteSamples(png, fail) : firstChannel(await decodeWithSharp(bytes, fail));
  } else if (opts.validate) {
    ({ label, form } = idsOfRgb(await decodeWithSharp(bytes, fail), fail));
  } else {
    // Registered labels passed idsOfRgb at import: red is the id in both RGB forms.
    form = 'red-channel';
    label = await decodeRedFast(bytes, fail);
  }
  return { label, form, voidPixels: checkValues(label, fail) };
}

/** Counts 255s and refuses any other value outside 0..12, naming the first such pixel. */
function checkValues(label: LabelMap, fail: Fail): number {
  const { data, width } = label;
  if (!anyByteAtLeast(data, NUM_CLASSES)) return 0;
  let voids = 0;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < NUM_CLASSES) continue;
    if (v === IGNORE_INDEX) voids++;
    else fail(`label value ${v} at pixel (${i % width}, ${Math.floor(i / width)}) is outside 0..${NUM_CLASSES - 1} (255 = ignore)`);
  }
  return voids;
}

interface PngChunks {
  header: { width: number; height: number; bitDepth: number; colorType: number; interlace: number };
  palette: Buffer | null;
  idat: Buffer[];
}

function readPngChunks(bytes: Uint8Array): PngChunks {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length < 8 || !buf.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG file');
  let pos = 8;
  let header: PngChunks['header'] | null = null;
  let palette: Buffer | null = null;
  const idat: Buffer[] = [];
  for (;;) {
    if (pos + 12 > buf.length) throw new Error('truncated PNG (no IEND chunk)');
    const length = buf.readUInt32BE(pos);
    const type = buf.toString('latin1', pos + 4, pos + 8);
    if (pos + 12 + length > buf.length) throw new Error(`truncated PNG (${type} chunk cut short)`);
    const body = buf.subarray(pos + 8, pos + 8 + length);
    pos += 12 + length;
    if (type === 'IHDR' && length === 13)
      header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), bitDepth: body[8], colorType: body[9], interlace: body[12] };
    else if (type === 'PLTE') palette = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
  }
  if (!header) throw new Error('corrupt PNG (no IHDR chunk)');
  const { width, height, colorType, bitDepth } = header;
  if (!CHANNELS[colorType]) throw new Error(`corrupt PNG (colour type ${colorType})`);
  if (![1, 2, 4, 8, 16].includes(bitDepth) || (bitDepth < 8 && colorType !== 0 && colorType !== 3)) throw new Error(`corrupt PNG (bit depth ${bitDepth})`);
  if (width === 0 || height === 0) throw new Error('corrupt PNG (empty image)');
  if (width * height > MAX_INPUT_PIXELS) throw new Error(`${width}x${height} pixels exceeds the pixel limit`);
  if (colorType === 3 && !palette) throw new Error('corrupt PNG (palette image without PLTE)');
  if (!idat.length) throw new Error('corrupt PNG (no image data)');
  return { header, palette, idat };
}

/**
 * The first sample of each pixel of a non-interlaced grey, grey+alpha or indexed PNG at 1..8
 * bits (PIL writes a 13-colour palette image at 4 bits). sharp would scale low bit depths to
 * 0..255 and expand indices to colours, so ids are read here.
 */
async function decodeOneByteSamples(png: PngChunks, fail: Fail): Promise<LabelMap> {
  const { width, height, bitDepth, colorType } = png.header;
  const channels = CHANNELS[colorType];
  const rowBytes = Math.ceil((width * channels * bitDepth) / 8);
  const bpp = Math.max(1, (channels * bitDepth) >> 3);
  const expected = (rowBytes + 1) * height;
  let raw: Buffer;
  try {
    raw = await inflate(png.idat.length === 1 ? png.idat[0] : Buffer.concat(png.idat), { chunkSize: Math.max(expected, 64), maxOutputLength: expected });
  } catch (e) {
    return fail('cannot decode label PNG (corrupt image data)', (e as Error).message);
  }
  if (raw.length !== expected) fail(`cannot decode label PNG (truncated image data: ${raw.length} of ${expected} bytes)`);
  const rows = new Uint8Array(rowBytes * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (rowBytes + 1)];
    const src = y * (rowBytes + 1) + 1;
    const o = y * rowBytes;
    const up = o - rowBytes;
    for (let i = 0; i < rowBytes; i++) {
      const a = i >= bpp ? rows[o + i - bpp] : 0;
      const b = y > 0 ? rows[up + i] : 0;
      const c = y > 0 && i >= bpp ? rows[up + i - bpp] : 0;
      let pred: number;
      if (filter === 0) pred = 0;
      else if (filter === 1) pred = a;
      else if (filter === 2) pred = b;
      else if (filter === 3) pred = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      } else return fail(`cannot decode label PNG (row ${y} has filter type ${filter})`);
      rows[o + i] = (raw[src + i] + pred) & 255;
    }
  }
  const out = new Uint8Array(width * height);
  if (bitDepth === 8) {
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) out[y * width + x] = rows[y * rowBytes + x * channels];
  } else {
    const perByte = 8 / bitDepth;
    const mask = (1 << bitDepth) - 1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const byte = rows[y * rowBytes + Math.floor(x / perByte)];
        out[y * width + x] = (byte >> (8 - bitDepth * ((x % perByte) + 1))) & mask;
      }
    }
  }
  if (colorType === 3) {
    const entries = png.palette!.length / 3;
    for (let i = 0; i < out.length; i++)
      if (out[i] >= entries) fail(`cannot decode label PNG (palette index ${out[i]} of ${entries} entries at pixel (${i % width}, ${Math.floor(i / width)}))`);
  }
  return { width, height, data: out };
}

interface RawPixels {
  width: number;
  height: number;
  channels: number;
  data: Buffer;
}

async function decodeWithSharp(bytes: Uint8Array, fail: Fail): Promise<RawPixels> {
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' }).raw().toBuffer({ resolveWithObject: true });
    return { width: info.width, height: info.height, channels: info.channels, data };
  } catch (e) {
    return fail('cannot decode label PNG', (e as Error).message);
  }
}

function firstChannel({ width, height, channels, data }: RawPixels): LabelMap {
  const out = new Uint8Array(width * height);
  for (let i = 0; i < out.length; i++) out[i] = data[i * channels];
  return { width, height, data: out };
}

/**
 * An RGB(A) label: ids in red with green and blue 0 ('red-channel'), or grey values written
 * as RGB with red = green = blue everywhere ('grey': what sharp writes for one-channel raw
 * data unless told 'b-w'). Anything else is a colourised label, refused at its first pixel.
 */
function idsOfRgb(px: RawPixels, fail: Fail): { label: LabelMap; form: LabelForm } {
  const { width, channels, data } = px;
  if (channels !== 3 && channels !== 4) return { label: firstChannel(px), form: 'grey' };
  if (greenBlueAllZero(data, channels)) return { label: firstChannel(px), form: 'red-channel' };
  let grey = true;
  for (let p = 0; p < data.length && grey; p += channels) grey = data[p] === data[p + 1] && data[p] === data[p + 2];
  if (grey) return { label: firstChannel(px), form: 'grey' };
  for (let i = 0, p = 0; p < data.length; i++, p += channels) {
    const [r, g, b] = [data[p], data[p + 1], data[p + 2]];
    if ((g !== 0 || b !== 0) && !(r === g && r === b)) {
      const id = carlaClassOfColour(r, g, b);
      const hint = id === undefined ? '' : ` (CARLA's palette colour for ${CLASSES[id].name}: import with --palette carla)`;
      fail(
        `colourised label at pixel (${i % width}, ${Math.floor(i / width)}): rgb(${r}, ${g}, ${b})${hint}; an RGB label keeps the class id in red with green and blue 0, or in all three alike`,
      );
    }
  }
  return fail('colourised label: it mixes red-channel ids (green and blue 0) with grey ids (red = green = blue)');
}

async function decodeRedFast(bytes: Uint8Array, fail: Fail): Promise<LabelMap> {
  try {
    return await decodeLabelPng(bytes, { maxPixels: MAX_INPUT_PIXELS });
  } catch (e) {
    return fail('cannot decode label PNG', (e as Error).message);
  }
}

function foreignColour(x: number, y: number, r: number, g: number, b: number): string {
  return `colour rgb(${r}, ${g}, ${b}) at pixel (${x}, ${y}) is not in CARLA's semantic palette (exact colours only)`;
}

function mapPaletteToCarla(idx: LabelMap, plte: Buffer, fail: Fail): LabelMap {
  const ids = new Int16Array(plte.length / 3).map((_, k) => carlaClassOfColour(plte[k * 3], plte[k * 3 + 1], plte[k * 3 + 2]) ?? -1);
  const { width, data } = idx;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const id = ids[data[i]];
    if (id < 0) {
      const k = data[i] * 3;
      fail(foreignColour(i % width, Math.floor(i / width), plte[k], plte[k + 1], plte[k + 2]));
    }
    out[i] = id;
  }
  return { ...idx, data: out };
}

function mapColoursToCarla({ width, height, channels, data }: RawPixels, fail: Fail): LabelMap {
  const grey = channels < 3;
  const out = new Uint8Array(width * height);
  let lastKey = -1;
  let lastId = 0;
  for (let i = 0, p = 0; i < out.length; i++, p += channels) {
    const r = data[p];
    const g = grey ? r : data[p + 1];
    const b = grey ? r : data[p + 2];
    const key = (r << 16) | (g << 8) | b;
    if (key !== lastKey) {
      const id = carlaClassOfColour(r, g, b);
      if (id === undefined) fail(foreignColour(i % width, Math.floor(i / width), r, g, b));
      lastKey = key;
      lastId = id!;
    }
    out[i] = lastId;
  }
  return { width, height, data: out };
}

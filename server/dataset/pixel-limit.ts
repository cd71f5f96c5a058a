/** Pixel limit for any image or label PNG we decode: a decompression bomb is refused before it is decoded. */
export const MAX_INPUT_PIXELS = 25_000_000;

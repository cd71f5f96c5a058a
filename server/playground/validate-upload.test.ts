import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { animatedGif, badInputs, realJpeg, realPng } from '../../test/bad-images.ts';
import { HTTP_STATUS, isAppError } from '../errors.ts';
import { decodeUpload, sniffImageType } from './validate-upload.ts';

describe('decodeUpload', () => {
  it('decodes a real CARLA PNG and JPEG at full size', async () => {
    for (const bytes of [await realPng(), await realJpeg()]) {
      const { image } = await decodeUpload(bytes, 'frame');
      expect([image.width, image.height]).toEqual([800, 600]);
      expect(image.data.length).toBe(800 * 600 * 3);
    }
  });

  it('takes a WebP by its bytes whatever its name', async () => {
    const webp = await sharp(await realPng())
      .webp()
      .toBuffer();
    const r = await decodeUpload(webp, 'photo.png');
    expect(r.mime).toBe('image/webp');
  });

  it('the GIF fixture really is animated (two frames)', async () => {
    expect((await sharp(animatedGif()).metadata()).pages).toBe(2);
    expect(sniffImageType(animatedGif())).toBe('image/gif');
  });

  it.each([0, 1, 2, 3, 4, 5, 6, 7])('refuses bad input #%i with a clear message and the right status', async (i) => {
    const bad = (await badInputs())[i];
    const err = await decodeUpload(bad.bytes, bad.name).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isAppError(err)).toBe(true);
    if (!isAppError(err)) return;
    expect(err.userMessage).toMatch(bad.message);
    expect(HTTP_STATUS[err.code]).toBe(bad.status);
  });
});

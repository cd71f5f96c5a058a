import sharp from 'sharp';
import { boundedRender, fitWidth } from '../render/render-images.ts';
import { DISAGREEMENT_KINDS } from '../metrics/disagreement.ts';
import { getDisagreementMap } from './disagreement-map-cache.ts';
import { loadRunPairOrThrow } from './load-run-pair.ts';
import { LruCache } from '../render/lru-cache.ts';
import { perProcess } from '../per-process.ts';

/** Drawn PNGs (tens of KB each): the ranked lists ask for the same thumbnails on every visit. */
const pngs = perProcess('DisagreementPngs', () => new LruCache<string, Buffer>(32 * 1024 * 1024, (buf) => buf.byteLength));

const RGBA = new Uint8Array(256 * 4);
for (const k of DISAGREEMENT_KINDS)
  RGBA.set([parseInt(k.color.slice(1, 3), 16), parseInt(k.color.slice(3, 5), 16), parseInt(k.color.slice(5, 7), 16), 255], k.code * 4);

/** The four-colour agreement map of two runs on one image; pixels outside the comparison are transparent. */
export async function renderDisagreement({
  a,
  b,
  imageId,
  classId,
  maxWidth,
}: {
  a: string;
  b: string;
  imageId: string;
  classId?: number;
  maxWidth?: number;
}): Promise<Buffer> {
  await loadRunPairOrThrow(a, b);
  return pngs.getOrMake(`${a}|${b}|${imageId}|${classId ?? ''}|${maxWidth ?? ''}`, () =>
    boundedRender(async () => {
      const m = await getDisagreementMap({ a, b, imageId, classId });
      const small = fitWidth({ width: m.width, height: m.height, data: m.codes }, maxWidth);
      const rgba = Buffer.alloc(small.width * small.height * 4);
      for (let i = 0; i < small.data.length; i++) {
        const c = small.data[i] * 4;
        rgba[i * 4] = RGBA[c];
        rgba[i * 4 + 1] = RGBA[c + 1];
        rgba[i * 4 + 2] = RGBA[c + 2];
        rgba[i * 4 + 3] = RGBA[c + 3];
      }
      return sharp(rgba, { raw: { width: small.width, height: small.height, channels: 4 } })
        .png()
        .toBuffer();
    }),
  );
}

import { getDb } from '../db/client.ts';
import { loadGroundTruth } from '../dataset/load-ground-truth.ts';
import { decodeLabelPng } from '../dataset/label-png.ts';
import { AppError } from '../errors.ts';
import { disagreementMap, type DisagreementMap } from '../metrics/disagreement.ts';
import { ByteLru } from '../render/render-cache.ts';

const g = globalThis as unknown as { __pixeldriveDisagreementMaps?: ByteLru<DisagreementMap> };
/**
 * Decoded code maps (one byte per pixel, 480 KB per 800×600 frame): the page counts a map and
 * the image route then colours the same one, so each pair of predictions is decoded once.
 */
const maps = (g.__pixeldriveDisagreementMaps ??= new ByteLru<DisagreementMap>(64 * 1024 * 1024));

/** The per-pixel agreement map of two runs on one image (both runs' stored predictions against the truth). */
export async function getDisagreementMap({ a, b, imageId, classId }: { a: string; b: string; imageId: string; classId?: number }): Promise<DisagreementMap> {
  return maps.getOrMake(
    `${a}|${b}|${imageId}|${classId ?? ''}`,
    async () => {
      const db = getDb();
      const pred = (runId: string) => db.prediction.findUnique({ where: { runId_imageId: { runId, imageId } }, select: { labelPng: true } });
      const [pa, pb] = await Promise.all([pred(a), pred(b)]);
      if (!pa || !pb) throw new AppError('NOT_FOUND', `image ${imageId} not predicted by run ${pa ? b : a}`, 'That image was not evaluated by both runs.');
      const [gt, la, lb] = await Promise.all([loadGroundTruth(imageId), decodeLabelPng(pa.labelPng), decodeLabelPng(pb.labelPng)]);
      return disagreementMap(gt, la, lb, classId);
    },
    (m) => m.codes.byteLength,
  );
}

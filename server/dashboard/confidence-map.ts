import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { IGNORE_INDEX, NUM_CLASSES } from '../../models/classes.ts';
import { ByteLru } from '../render/render-cache.ts';
import { getDb } from '../db/client.ts';
import { decodeRgb } from '../dataset/decode.ts';
import { decodeLabelPng } from '../dataset/label-png.ts';
import { loadGroundTruth } from '../dataset/load-ground-truth.ts';
import { AppError } from '../errors.ts';
import { getSegmenter } from '../inference/segmenter.ts';
import { ttaSchema } from '../inference/tta.ts';
import { abstentionCurve, confidenceSteps } from '../metrics/abstention.ts';
import { confidenceOfLabels } from '../metrics/calibration.ts';
import { boundedRender } from '../render/render-images.ts';

export interface ConfidenceMap {
  width: number;
  height: number;
  /** Per pixel its threshold step (0..ABSTENTION_STEPS−1 of server/metrics/abstention.ts), IGNORE_INDEX where the truth is ignored. */
  steps: Uint8Array;
  /** The image's abstained share, kept-pixel mIoU and pixel accuracy at every step (null = nothing kept). */
  curve: { threshold: number; abstained: number; miou: number | null; pixelAccuracy: number | null }[];
  backend: string;
}

const g = globalThis as unknown as { __pixeldriveConfidenceMaps?: ByteLru<ConfidenceMap> };
/**
 * A map costs a forward pass (the logits are not stored with a run: 13 planes per frame), so
 * each is computed once per process; 480 KB per 800×600 frame. A completed run's prediction
 * and its checkpoint's weights never change.
 */
const maps = (g.__pixeldriveConfidenceMaps ??= new ByteLru<ConfidenceMap>(48 * 1024 * 1024));

const finite = (v: number) => (Number.isFinite(v) ? v : null);

/**
 * The model's confidence at each pixel of one stored prediction: its softmax probability of the
 * class the run stored there, exactly as calibration scores it (`confidenceOfLabels` on the
 * runner's softmax of the network's logits). The network runs again on the frame; the label map
 * is the stored one, so threshold 0 gives the image's stored per-image mIoU.
 */
export async function getConfidenceMap({ predictionId }: { predictionId: string }): Promise<ConfidenceMap> {
  const p = await getDb().prediction.findUnique({
    where: { id: predictionId },
    select: {
      labelPng: true,
      imageId: true,
      run: { select: { tta: true, checkpoint: { select: { dir: true } } } },
      image: { select: { imagePath: true, dataset: { select: { root: true } } } },
    },
  });
  if (!p) throw new AppError('NOT_FOUND', `prediction ${predictionId}`, 'No such prediction.');
  return maps.getOrMake(
    predictionId,
    () =>
      boundedRender(async () => {
        const segmenter = await getSegmenter(path.resolve(p.run.checkpoint.dir), undefined, ttaSchema.parse(p.run.tta));
        if (!segmenter.providesProbabilities) {
          throw new AppError(
            'INVALID_INPUT',
            `prediction ${predictionId}: model gives no probabilities`,
            'This model returns labels only (an imported ONNX graph gives no class probabilities), so it has no confidence map.',
          );
        }
        const file = path.resolve(p.image.dataset.root, p.image.imagePath);
        const [rgb, gt, pred] = await Promise.all([readFile(file).then((b) => decodeRgb(b, file)), loadGroundTruth(p.imageId), decodeLabelPng(p.labelPng)]);
        if (pred.width !== gt.width || pred.height !== gt.height)
          throw new AppError(
            'INTERNAL',
            `prediction ${predictionId}: ${pred.width}x${pred.height} for a ${gt.width}x${gt.height} label`,
            'The stored prediction does not match its image.',
          );
        const { probabilities } = await segmenter.segment(rgb, { probabilities: true });
        if (!probabilities)
          throw new AppError(
            'INTERNAL',
            `prediction ${predictionId}: runner returned no probabilities`,
            'The model gave no class probabilities for this image.',
          );
        const { width: W, height: H } = segmenter.inputSize;
        const confidence = confidenceOfLabels(probabilities, NUM_CLASSES, H, W, pred.data, pred.width, pred.height);
        return {
          width: pred.width,
          height: pred.height,
          steps: confidenceSteps(gt.data, confidence),
          curve: abstentionCurve(gt.data, pred.data, confidence).map((q) => ({
            threshold: q.threshold,
            abstained: q.abstained,
            miou: finite(q.miou),
            pixelAccuracy: finite(q.pixelAccuracy),
          })),
          backend: segmenter.backend,
        };
      }),
    (m) => m.steps.byteLength + m.curve.length * 64,
  );
}

/**
 * The map as a grey + alpha PNG: grey = the pixel's step (0..99), transparent where the truth is
 * ignored. The browser thresholds and colours it, so moving the slider fetches nothing.
 */
export async function renderConfidenceMap(predictionId: string): Promise<Buffer> {
  const m = await getConfidenceMap({ predictionId });
  return boundedRender(() => {
    const ga = Buffer.alloc(m.width * m.height * 2);
    for (let i = 0; i < m.steps.length; i++) {
      const s = m.steps[i];
      ga[i * 2] = s === IGNORE_INDEX ? 0 : s;
      ga[i * 2 + 1] = s === IGNORE_INDEX ? 0 : 255;
    }
    return sharp(ga, { raw: { width: m.width, height: m.height, channels: 2 } })
      .png()
      .toBuffer();
  });
}

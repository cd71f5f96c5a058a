import { readFile } from 'node:fs/promises';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { readManifest } from '../../models/checkpoint-manifest.ts';
import { ARCH_LABEL, type Architecture } from '../../models/config.ts';
import { normalizeRgb } from '../../models/preprocess.ts';
import { registerCheckpoint } from '../checkpoints/register-checkpoints.ts';
import { config } from '../config.ts';
import { decodeRgb } from '../dataset/decode.ts';
import { resizeRgbBilinear } from '../dataset/resize.ts';
import { getDb } from '../db/client.ts';
import { AppError } from '../errors.ts';
import { exportOnnx } from '../inference/export-onnx.ts';
import { pixeldriveAdapter } from '../onnx-import/adapter.ts';
import { importOnnxModel, type ImportOnnxModelResult } from '../onnx-import/import-onnx-model.ts';
import { decodeOnnx, encodeOnnx } from '../onnx-import/onnx-graph.ts';
import { convertWeightsToFp16 } from './convert-fp16.ts';
import { quantizeInt8 } from './quantize-int8.ts';

export const VARIANT_KINDS = ['fp16', 'int8'] as const;
export type VariantKind = (typeof VARIANT_KINDS)[number];
/** The drive whose training split calibrates int8 activations (never its val frames). */
export const CALIBRATION_DATASET = 'carla-drive';

export interface VariantResult extends ImportOnnxModelResult {
  kind: VariantKind;
  parentId: string;
  parentBytes: number;
}

/**
 * fp16 and int8 variants of a shipped checkpoint, each registered as its own model with the
 * fp32 checkpoint as parent: the parent's ONNX export is converted (server/variants) and
 * imported with PixelDrive's adapter, so it is evaluated, listed and compared like any model.
 * Deterministic: the same weights and calibration frames give the same file (same identity).
 */
export async function createVariants(opts: { arch: Architecture; kinds?: readonly VariantKind[]; calibrationFrames?: number }): Promise<VariantResult[]> {
  const dir = path.join(config.checkpointsDir, opts.arch);
  const parent = await registerCheckpoint(dir);
  const { file } = await exportOnnx(dir);
  const fp32 = new Uint8Array(await readFile(file));
  const { config: cfg } = await readManifest(dir);
  const adapter = pixeldriveAdapter(cfg);
  const results: VariantResult[] = [];
  for (const kind of opts.kinds ?? VARIANT_KINDS) {
    const model = decodeOnnx(fp32, file);
    const converted = kind === 'fp16' ? convertWeightsToFp16(model) : await quantizeInt8(model, await calibrationFeeds(cfg, opts.calibrationFrames ?? 32));
    const r = await importOnnxModel({
      bytes: encodeOnnx(converted),
      adapter,
      name: `${ARCH_LABEL[opts.arch]} ${kind}`,
      source: kind,
      parentId: parent.id,
      arch: opts.arch,
    });
    results.push({ ...r, kind, parentId: parent.id, parentBytes: fp32.byteLength });
  }
  return results;
}

/** Evenly spaced frames of the calibration dataset's TRAINING split, preprocessed as the checkpoint sees them. */
async function calibrationFeeds(cfg: { inputWidth: number; inputHeight: number }, count: number) {
  const db = getDb();
  const dataset = await db.dataset.findUnique({ where: { name: CALIBRATION_DATASET } });
  if (!dataset)
    throw new AppError(
      'NOT_FOUND',
      `dataset ${CALIBRATION_DATASET} is not registered (npm start registers it)`,
      `The calibration dataset ${CALIBRATION_DATASET} is not registered; npm start registers it.`,
    );
  const train = await db.datasetImage.findMany({ where: { datasetId: dataset.id, split: 'train' }, orderBy: { key: 'asc' }, select: { imagePath: true } });
  const picked = Array.from({ length: Math.min(count, train.length) }, (_, i) => train[Math.floor((i * train.length) / Math.min(count, train.length))]);
  const { inputWidth: W, inputHeight: H } = cfg;
  return Promise.all(
    picked.map(async (img) => {
      const file = path.resolve(dataset.root, img.imagePath);
      const rgb = resizeRgbBilinear(await decodeRgb(await readFile(file), file), W, H);
      return {
        feeds: {
          image: new ort.Tensor('float32', normalizeRgb(rgb.data), [1, H, W, 3]),
          out_size: new ort.Tensor('int64', BigInt64Array.from([BigInt(H), BigInt(W)]), [2]),
        },
      };
    }),
  );
}

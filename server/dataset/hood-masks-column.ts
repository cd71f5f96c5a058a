import { hoodMasksSchema } from '../schemas/dataset.ts';
import { parseJson } from '../schemas/common.ts';
import { decodeLabelPng, encodeLabelPng } from './label-png.ts';
import type { ScannedDataset } from './read-dataset.ts';

/**
 * A dataset's hood masks as stored in its `hoodMasks` column: per subset, a label PNG
 * (255 = hood) in base64. Both directions live here so the format has one definition.
 */
export async function encodeHoodMasks(ds: Pick<ScannedDataset, 'frames' | 'hoodMasks'>): Promise<Record<string, string>> {
  const size = new Map(ds.frames.map((f) => [f.subset, { width: f.width, height: f.height }]));
  const out: Record<string, string> = {};
  for (const [subset, mask] of ds.hoodMasks) {
    if (!mask) continue;
    const { width, height } = size.get(subset)!;
    out[subset] = Buffer.from(await encodeLabelPng({ width, height, data: mask.map((v) => (v ? 255 : 0)) })).toString('base64');
  }
  return parseJson(hoodMasksSchema, out, 'hood masks');
}

const hoodCache = new Map<string, Map<string, Uint8Array | null>>();

/** The hood masks of a registered dataset, as `loadFrame` wants them (decoded once per process). */
export async function hoodMasksOf(dataset: { hoodMasks: unknown; contentHash?: string }): Promise<Map<string, Uint8Array | null>> {
  const cached = dataset.contentHash ? hoodCache.get(dataset.contentHash) : undefined;
  if (cached) return cached;
  const out = new Map<string, Uint8Array | null>();
  for (const [subset, b64] of Object.entries(parseJson(hoodMasksSchema, dataset.hoodMasks, 'dataset hood masks'))) {
    const m = await decodeLabelPng(Buffer.from(b64, 'base64'));
    out.set(
      subset,
      m.data.map((v) => (v ? 1 : 0)),
    );
  }
  if (dataset.contentHash) hoodCache.set(dataset.contentHash, out);
  return out;
}

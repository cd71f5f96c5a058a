import { rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { loadCheckpoint } from '../../models/checkpoint-io.ts';
import { checkpointSha256 } from '../../models/checkpoint-manifest.ts';
import { initTf } from '../tf/runtime.ts';
import { buildOnnxModel } from './build-onnx-graph.ts';
import { currentOnnxFile, onnxFileName, onnxStamp } from './onnx-stamp.ts';
import type { Tta } from './tta.ts';

/**
 * Exports a checkpoint folder to `<dir>/model.onnx` (or its flip-averaging graph), or reuses the cached file when it
 * was exported from the same weights by the same graph version (server/inference/onnx-stamp.ts).
 */
export async function exportOnnx(dir: string, opts: { force?: boolean; tta?: Tta } = {}): Promise<{ file: string; exported: boolean; weightsSha256: string }> {
  const sha = await checkpointSha256(dir);
  const tta = opts.tta ?? 'none';
  const current = currentOnnxFile(dir, sha, tta);
  if (current && !opts.force) return { file: current, exported: false, weightsSha256: sha };
  const file = path.join(dir, onnxFileName(tta));
  const stamp = `${file}.sha256`;
  await initTf();
  const model = await loadCheckpoint(dir);
  try {
    const bytes = buildOnnxModel({
      params: model.params,
      config: model.config,
      tta,
      metadata: { weights_sha256: sha, arch: model.config.arch, config: JSON.stringify(model.config), preprocess: 'rgb/127.5-1, NHWC', tta },
    });
    await writeFile(file + '.tmp', bytes);
    await rename(file + '.tmp', file);
    // Renamed into place like the model: a folder of hard links (a copied checkpoint) then keeps its own stamp.
    await writeFile(stamp + '.tmp', onnxStamp(sha) + '\n');
    await rename(stamp + '.tmp', stamp);
    return { file, exported: true, weightsSha256: sha };
  } finally {
    model.dispose();
  }
}

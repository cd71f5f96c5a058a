import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { architectureSchema, type Architecture } from './config.ts';
import { createModel, type ModelConfig, type SegmentationModel } from './create-model.ts';

export const CHECKPOINT_FORMAT = 'pixeldrive-tfjs/1';

/**
 * On disk, a checkpoint is a folder with `model.json` (architecture, config, and a
 * TF.js weights manifest) and `weights.bin` (TF.js weight encoding), plus an optional
 * `card.json`. Weights are loaded from this local folder only, never from a network.
 */
export interface CheckpointManifest {
  format: typeof CHECKPOINT_FORMAT;
  arch: Architecture;
  config: ModelConfig;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
}

export async function saveCheckpoint(dir: string, model: SegmentationModel): Promise<{ sha256: string }> {
  await mkdir(dir, { recursive: true });
  const named: tf.NamedTensorMap = {};
  for (const [name, v] of model.params) named[name] = v;
  const { data, specs } = await tf.io.encodeWeights(named);
  const bytes = new Uint8Array(data as ArrayBuffer);
  const manifest: CheckpointManifest = {
    format: CHECKPOINT_FORMAT,
    arch: model.config.arch,
    config: model.config,
    weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
  };
  // Write-then-rename so a crash mid-save never leaves a torn checkpoint.
  await writeFile(path.join(dir, 'weights.bin.tmp'), bytes);
  await writeFile(path.join(dir, 'model.json.tmp'), JSON.stringify(manifest, null, 1));
  await rename(path.join(dir, 'weights.bin.tmp'), path.join(dir, 'weights.bin'));
  await rename(path.join(dir, 'model.json.tmp'), path.join(dir, 'model.json'));
  return { sha256: createHash('sha256').update(bytes).digest('hex') };
}

export async function readManifest(dir: string): Promise<CheckpointManifest> {
  const file = path.join(dir, 'model.json');
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new Error(`${file}: cannot read checkpoint manifest (${(e as Error).message})`);
  }
  const m = raw as CheckpointManifest;
  if (m?.format !== CHECKPOINT_FORMAT) throw new Error(`${file}: not a PixelDrive checkpoint (format ${String(m?.format)})`);
  architectureSchema.parse(m.arch);
  return m;
}

/** sha256 of the weights file: the identity of a checkpoint's numbers. */
export async function checkpointSha256(dir: string): Promise<string> {
  return createHash('sha256').update(await readFile(path.join(dir, 'weights.bin'))).digest('hex');
}

export async function loadCheckpoint(dir: string): Promise<SegmentationModel> {
  const manifest = await readManifest(dir);
  const model = createModel(manifest.arch, manifest.config);
  const group = manifest.weightsManifest[0];
  const buf = await readFile(path.join(dir, group.paths[0]));
  const tensors = tf.io.decodeWeights(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength), group.weights);
  try {
    for (const [name, v] of model.params) {
      const t = tensors[name];
      if (!t) throw new Error(`${dir}: checkpoint lacks parameter ${name}`);
      if (t.shape.join() !== v.shape.join()) throw new Error(`${dir}: parameter ${name} has shape [${t.shape}], the network needs [${v.shape}]`);
      v.assign(t);
    }
  } catch (e) {
    model.dispose();
    throw e;
  } finally {
    tf.dispose(tensors);
  }
  return model;
}

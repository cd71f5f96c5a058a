import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { CHECKPOINT_FORMAT, readManifest, type CheckpointManifest } from './checkpoint-manifest.ts';
import { createModel, type SegmentationModel } from './create-model.ts';

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

export async function loadCheckpoint(dir: string): Promise<SegmentationModel> {
  const manifest = await readManifest(dir);
  const model = createModel(manifest.arch, manifest.config, 1, 'none');
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

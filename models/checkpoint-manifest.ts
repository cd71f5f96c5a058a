import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { architectureSchema, type Architecture } from './config.ts';
import type { ModelConfig } from './create-model.ts';

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

const shaCache = new Map<string, { key: string; sha: string }>();

/** sha256 of the weights file: the identity of a checkpoint's numbers (cached until the file changes). */
export async function checkpointSha256(dir: string): Promise<string> {
  const file = path.join(dir, 'weights.bin');
  const st = await stat(file);
  const key = `${st.size}:${st.mtimeMs}`;
  const hit = shaCache.get(file);
  if (hit?.key === key) return hit.sha;
  const sha = createHash('sha256').update(await readFile(file)).digest('hex');
  shaCache.set(file, { key, sha });
  return sha;
}


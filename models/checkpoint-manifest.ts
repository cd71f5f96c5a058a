import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { architectureSchema, formatZodError, type Architecture } from './config.ts';
import { validateConfig, type ModelConfig } from './validate-config.ts';

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
  const format = (raw as { format?: unknown } | null)?.format;
  if (format !== CHECKPOINT_FORMAT) throw new Error(`${file}: not a PixelDrive checkpoint (format ${String(format)})`);
  const m = manifestSchema.safeParse(raw);
  if (!m.success) throw new Error(formatZodError(`${file}: invalid checkpoint manifest`, m.error));
  // The architecture's own schema: fills defaults and rejects what its network cannot build.
  return { ...m.data, config: validateConfig(m.data.arch, m.data.config) };
}

const manifestSchema = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  arch: architectureSchema,
  config: z.record(z.string(), z.unknown()),
  weightsManifest: z
    .array(
      z.object({
        paths: z.array(z.string()).min(1),
        weights: z.array(
          z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()), dtype: z.enum(['float32', 'int32', 'bool', 'string', 'complex64']) }),
        ),
      }),
    )
    .min(1),
});

const shaCache = new Map<string, { key: string; sha: string }>();

/** sha256 of the weights file: the identity of a checkpoint's numbers (cached until the file changes). */
export async function checkpointSha256(dir: string): Promise<string> {
  const file = path.join(dir, 'weights.bin');
  const st = await stat(file);
  const key = `${st.size}:${st.mtimeMs}`;
  const hit = shaCache.get(file);
  if (hit?.key === key) return hit.sha;
  const sha = createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
  shaCache.set(file, { key, sha });
  return sha;
}

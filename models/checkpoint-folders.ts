import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { Architecture } from './config.ts';
import { readManifest } from './checkpoint-manifest.ts';
import { modelName } from './validate-config.ts';

/**
 * The finished checkpoint folders directly under `dir`, in name order: each holds model.json and
 * card.json (a folder still in training has no card yet). Every start registers exactly these
 * (server/checkpoints/register-checkpoints.ts), so under models/checkpoints they are the shipped
 * models, however many there are.
 */
export function finishedCheckpointFolders(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((name) => path.join(dir, name))
    .filter((folder) => existsSync(path.join(folder, 'card.json')) && existsSync(path.join(folder, 'model.json')));
}

export interface CheckpointFolder {
  dir: string;
  arch: Architecture;
  /** The name the checkpoint is registered under and listed by (modelName of its config). */
  name: string;
}

/** The finished checkpoint folders under `dir` with their architecture and the name the app lists them by. */
export async function describeCheckpointFolders(dir: string): Promise<CheckpointFolder[]> {
  return Promise.all(
    finishedCheckpointFolders(dir).map(async (folder) => {
      const { arch, config } = await readManifest(folder);
      return { dir: folder, arch, name: modelName(config) };
    }),
  );
}

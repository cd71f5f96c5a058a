import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Architecture } from '../models/config.ts';
import { createModel } from '../models/create-model.ts';
import { saveCheckpoint } from '../models/checkpoint-io.ts';
import { countGflops } from '../models/flops.ts';
import { DEFAULT_IGNORE_POLICY } from '../server/dataset/hood-mask.ts';
import { modelCardSchema } from '../server/schemas/checkpoint.ts';
import { parseJson } from '../server/schemas/common.ts';
import { initTf } from '../server/tf/runtime.ts';

/**
 * A freshly initialised (untrained) checkpoint folder for pipeline tests: the pipeline
 * must produce exactly the same numbers for it however the work is split or retried.
 * The seed decides the weights, hence the checkpoint's identity (content hash) in the test
 * database all files share: a seed another file registers gives that file's checkpoint row,
 * history and edits, so each file uses seeds of its own. `config` overrides the small default
 * (width 4), e.g. an encoder's start for a network on MobileNetV2.
 */
export async function makeTestCheckpoint(arch: Architecture = 'unet', seed = 5, config: Record<string, unknown> = { width: 4 }): Promise<string> {
  await initTf();
  const dir = await mkdtemp(path.join(os.tmpdir(), `pixeldrive-ck-${arch}-`));
  const model = createModel(arch, config, seed);
  const { sha256 } = await saveCheckpoint(dir, model);
  const card = parseJson(
    modelCardSchema,
    {
      arch,
      name: `test ${arch}`,
      config: model.config,
      params: 0,
      gflopsPerImage: countGflops(model.config),
      inputSize: '256x192',
      dataset: { root: 'data/carla-drive', contentHash: 'none', splitFingerprint: 'none', trainFrames: 0, valFrames: 0, ignorePolicy: DEFAULT_IGNORE_POLICY },
      training: {
        epochs: 0,
        batchSize: 0,
        crop: '',
        optimizer: 'none (untrained test fixture)',
        lossFn: '',
        classWeights: [],
        seed,
        backend: 'none',
        wallSeconds: 0,
      },
      bestEpoch: 0,
      valMiou: 0,
      valPerClassIou: {},
      officialMiou: null,
      weightsSha256: sha256,
    },
    'test card',
  );
  await writeFile(path.join(dir, 'card.json'), JSON.stringify(card));
  model.dispose();
  return dir;
}

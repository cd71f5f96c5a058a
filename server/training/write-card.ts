import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CLASSES } from '../../models/classes.ts';
import { modelName } from '../../models/validate-config.ts';
import { encoderOriginOf } from '../../models/backbones/pretrained-encoder.ts';
import { readManifest, checkpointSha256 } from '../../models/checkpoint-manifest.ts';
import { countGflops } from '../../models/flops.ts';
import { modelCardSchema, type ModelCard } from '../schemas/checkpoint.ts';
import { parseJson } from '../schemas/common.ts';
import { readModelCard } from '../checkpoints/read-model-card.ts';
import type { TrainResult } from './train-model.ts';

export async function writeTrainingCard(o: {
  outDir: string;
  result: TrainResult;
  seed: number;
  epochs: number;
  batchSize: number;
  cropWidth: number;
  cropHeight: number;
  /** false: the checkpoint is not evaluated when registered (only then is it written, so the shipped cards stay as they are). */
  evaluate?: boolean;
}): Promise<ModelCard> {
  const manifest = await readManifest(o.outDir);
  const encoder = encoderOriginOf(manifest.config);
  const ds = o.result.dataset;
  /** The model card kept beside each checkpoint (`card.json`); the dashboard shows it. */
  const card = parseJson(
    modelCardSchema,
    {
      arch: manifest.arch,
      name: modelName(manifest.config),
      ...(encoder ? { encoder } : {}),
      config: manifest.config,
      params: o.result.params,
      gflopsPerImage: countGflops(manifest.config),
      inputSize: `${manifest.config.inputWidth}x${manifest.config.inputHeight}`,
      dataset: {
        root: path.relative(process.cwd(), ds.root),
        contentHash: ds.contentHash,
        splitFingerprint: ds.splitFingerprint,
        trainFrames: o.result.trainFrames,
        valFrames: ds.frames.filter((f) => f.split === 'val').length,
        ignorePolicy: ds.policy,
      },
      training: {
        epochs: o.epochs,
        batchSize: o.batchSize,
        crop: `${o.cropWidth}x${o.cropHeight}`,
        optimizer: `AdamW (decoupled weight decay 1e-4 on kernels), cosine LR with 1 warm-up epoch${o.result.encoderLr !== 1 ? `, encoder at ${o.result.encoderLr}× the learning rate` : ''}`,
        lossFn: o.result.loss,
        classWeights: o.result.classWeights.map((w) => Number(w.toFixed(4))),
        seed: o.seed,
        augmentation: o.result.augmentation,
        backend: o.result.engine,
        wallSeconds: Math.round(o.result.wallSeconds),
        ...(o.evaluate === false ? { evaluate: false } : {}),
      },
      bestEpoch: o.result.bestEpoch,
      selection: { ...o.result.selection, miou: o.result.bestValMiou, chose: 'best epoch' },
      // The chosen checkpoint on val, evaluated once after training (older cards: the best epoch's val score).
      valMiou: o.result.val?.miou ?? Number.NaN,
      valPerClassIou: Object.fromEntries(
        CLASSES.map((c, i) => [c.name, o.result.val && Number.isFinite(o.result.val.perClassIou[i]) ? o.result.val.perClassIou[i] : null]),
      ),
      officialMiou: await previousOfficial(o.outDir),
      weightsSha256: await checkpointSha256(o.outDir),
    } satisfies ModelCard,
    `${o.outDir}/card.json`,
  );
  await writeFile(path.join(o.outDir, 'card.json'), JSON.stringify(card, null, 1));
  return card;
}

/** The official-frame score of the card this one replaces (a retrained checkpoint keeps it until `cli card` runs again). */
async function previousOfficial(dir: string): Promise<number | null> {
  const file = path.join(dir, 'card.json');
  const text = await readFile(file, 'utf8').catch(() => null);
  return text === null ? null : (readModelCard(text, file).officialMiou ?? null);
}

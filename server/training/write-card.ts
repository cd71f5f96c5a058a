import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CLASSES } from '../../models/classes.ts';
import { ARCH_LABEL } from '../../models/config.ts';
import { readManifest, checkpointSha256 } from '../../models/checkpoint-io.ts';
import { countGflops } from '../../models/flops.ts';
import type { TrainResult } from './train-model.ts';

/** The model card kept beside each checkpoint (`card.json`); the dashboard shows it. */
export interface ModelCard {
  arch: string;
  name: string;
  config: unknown;
  params: number;
  gflopsPerImage: number;
  inputSize: string;
  dataset: { root: string; contentHash: string; splitFingerprint: string; trainFrames: number; valFrames: number; ignorePolicy: unknown };
  training: { epochs: number; batchSize: number; crop: string; optimizer: string; lossFn: string; classWeights: number[]; seed: number; backend: string; wallSeconds: number };
  bestEpoch: number;
  valMiou: number;
  valPerClassIou: Record<string, number | null>;
  /** Filled by `npm run cli -- card` after evaluating on the official frames. */
  officialMiou?: number | null;
  weightsSha256: string;
}

export async function writeTrainingCard(o: {
  outDir: string;
  result: TrainResult;
  backend: string;
  seed: number;
  epochs: number;
  batchSize: number;
  cropWidth: number;
  cropHeight: number;
}): Promise<ModelCard> {
  const manifest = await readManifest(o.outDir);
  const best = o.result.history.find((r) => r.epoch === o.result.bestEpoch);
  const ds = o.result.dataset;
  const card: ModelCard = {
    arch: manifest.arch,
    name: ARCH_LABEL[manifest.arch],
    config: manifest.config,
    params: o.result.params,
    gflopsPerImage: countGflops(manifest.config),
    inputSize: `${manifest.config.inputWidth}x${manifest.config.inputHeight}`,
    dataset: {
      root: path.relative(process.cwd(), ds.root),
      contentHash: ds.contentHash,
      splitFingerprint: ds.splitFingerprint,
      trainFrames: ds.frames.filter((f) => f.split === 'train').length,
      valFrames: ds.frames.filter((f) => f.split === 'val').length,
      ignorePolicy: ds.policy,
    },
    training: {
      epochs: o.epochs,
      batchSize: o.batchSize,
      crop: `${o.cropWidth}x${o.cropHeight}`,
      optimizer: 'AdamW (decoupled weight decay 1e-4 on kernels), cosine LR with 1 warm-up epoch',
      lossFn: 'class-weighted softmax cross-entropy from logits (median-frequency weights, clipped at 50)',
      classWeights: o.result.classWeights.map((w) => Number(w.toFixed(4))),
      seed: o.seed,
      backend: `tfjs-${o.backend}`,
      wallSeconds: Math.round(o.result.wallSeconds),
    },
    bestEpoch: o.result.bestEpoch,
    valMiou: o.result.bestValMiou,
    valPerClassIou: Object.fromEntries(CLASSES.map((c, i) => [c.name, best && Number.isFinite(best.valPerClassIou[i]) ? best.valPerClassIou[i] : null])),
    officialMiou: await previousOfficial(o.outDir),
    weightsSha256: await checkpointSha256(o.outDir),
  };
  await writeFile(path.join(o.outDir, 'card.json'), JSON.stringify(card, null, 1));
  return card;
}

async function previousOfficial(dir: string): Promise<number | null> {
  try {
    return (JSON.parse(await readFile(path.join(dir, 'card.json'), 'utf8')) as ModelCard).officialMiou ?? null;
  } catch {
    return null;
  }
}

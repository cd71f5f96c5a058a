import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { modelName } from '../../models/validate-config.ts';
import { checkpointSha256, readManifest, type CheckpointManifest } from '../../models/checkpoint-manifest.ts';
import { finishedCheckpointFolders } from '../../models/checkpoint-folders.ts';
import { countGflops } from '../../models/flops.ts';
import { config } from '../config.ts';
import { getDb, type DbTransaction as Tx } from '../db/client.ts';
import { epochHistorySchema, type ModelCard } from '../schemas/checkpoint.ts';
import { perClassIouSchema } from '../schemas/evaluation.ts';
import { parseJson } from '../schemas/common.ts';
import { readModelCard } from './read-model-card.ts';

interface RegisteredCheckpoint {
  id: string;
  arch: string;
  /** As the app lists it: two shipped checkpoints may share an architecture (a pretrained network and its random-init control). */
  name: string;
  created: boolean;
}

/**
 * Registers every finished checkpoint folder under `dir` (one with model.json,
 * weights.bin and card.json) by the sha256 of its weights, with its training history as
 * a completed training run. Re-running changes nothing; a retrained checkpoint (new
 * weights) becomes a new row, the old numbers stay attached to the old weights.
 */
export async function registerCheckpoints(dir = config.checkpointsDir): Promise<RegisteredCheckpoint[]> {
  const out: RegisteredCheckpoint[] = [];
  for (const folder of finishedCheckpointFolders(dir)) out.push(await registerCheckpoint(folder));
  return out;
}

/** A training run of this app that produced the checkpoint: it becomes the checkpoint's history. */
interface FinishedTrainingRun {
  id: string;
  bestEpoch: number;
  bestValMiou: number;
  wallSeconds: number;
}

/**
 * With `trainingRun`, the checkpoint row and that run's completion commit in one transaction:
 * a crash leaves either a running run (its job re-runs and finalises) or a completed one linked
 * to its checkpoint, never a registered checkpoint whose run still says "running".
 */
export async function registerCheckpoint(folder: string, opts: { trainingRun?: FinishedTrainingRun; card?: ModelCard } = {}): Promise<RegisteredCheckpoint> {
  const db = getDb();
  const manifest = await readManifest(folder);
  const sha = await checkpointSha256(folder);
  const cardFile = path.join(folder, 'card.json');
  // A training run hands over the card it just wrote; a folder on disk is read.
  const card = opts.card ?? readModelCard(await readFile(cardFile, 'utf8'), cardFile);
  const rel = path.relative(process.cwd(), folder);
  const historyFile = path.join(folder, 'history.json');
  const history = existsSync(historyFile) ? parseJson(epochHistorySchema, JSON.parse(await readFile(historyFile, 'utf8')), historyFile) : [];
  const dataset = await db.dataset.findFirst({ where: { contentHash: card.dataset.contentHash } });
  return db.$transaction(async (tx) => {
    const existing = await tx.checkpoint.findUnique({ where: { weightsSha256: sha } });
    if (existing) {
      // Its history run (not one trained here) was registered from an earlier card, or with its val number as the selection number.
      await tx.trainingRun.updateMany({
        where: { checkpointId: existing.id, trainedHere: false, origin: null },
        data: { bestEpoch: card.bestEpoch, bestValMiou: card.selection?.miou ?? null },
      });
    }
    const result = existing
      ? // The card may have gained numbers (e.g. official-frame mIoU) since registration.
        await tx.checkpoint
          .update({ where: { id: existing.id }, data: { card, dir: rel } })
          .then((c) => ({ id: c.id, arch: c.arch, name: c.name, created: false }))
      : await createCheckpoint(tx, {
          manifest,
          sha,
          card,
          rel,
          history,
          historyFile,
          datasetId: dataset?.id,
          withHistoryRun: !opts.trainingRun,
          trainingRunId: opts.trainingRun?.id,
        });
    const run = opts.trainingRun;
    if (run) {
      await tx.trainingRun.update({
        where: { id: run.id },
        data: {
          status: 'completed',
          finishedAt: new Date(),
          checkpointId: result.id,
          bestEpoch: run.bestEpoch,
          bestValMiou: run.bestValMiou,
          wallSeconds: run.wallSeconds,
          progress: 1,
        },
      });
    }
    return result;
  });
}

async function createCheckpoint(
  tx: Tx,
  o: {
    manifest: CheckpointManifest;
    sha: string;
    card: ModelCard;
    rel: string;
    history: z.infer<typeof epochHistorySchema>;
    historyFile: string;
    datasetId?: string;
    /** A checkpoint from elsewhere gets its training history as a completed run; one trained here has its live run already. */
    withHistoryRun: boolean;
    trainingRunId?: string;
  },
): Promise<RegisteredCheckpoint> {
  const { manifest, card, history, historyFile } = o;
  const historyRun = {
    arch: manifest.arch,
    status: 'completed',
    options: card.training,
    datasetId: o.datasetId,
    epochsTotal: card.training.epochs,
    epochsDone: history.length,
    progress: 1,
    backend: card.training.backend,
    ignorePolicy: card.dataset.ignorePolicy,
    bestEpoch: card.bestEpoch,
    // The number that chose the epoch (the selection split); a card from before that split has none.
    bestValMiou: card.selection?.miou ?? null,
    wallSeconds: card.training.wallSeconds,
    finishedAt: new Date(),
    epochs: {
      create: history.map((h) => ({
        epoch: h.epoch,
        trainLoss: h.trainLoss,
        valLoss: h.valLoss,
        valMiou: h.valMiou,
        valPixelAccuracy: h.valPixelAccuracy,
        perClassIou: parseJson(
          perClassIouSchema,
          h.valPerClassIou.map((v) => (v !== null && Number.isFinite(v) ? v : null)),
          `${historyFile} epoch ${h.epoch}`,
        ),
        lr: h.lr,
        seconds: h.seconds,
      })),
    },
  };
  // The same weights' history imported from a sweep card before they were registered: it becomes this checkpoint's history, not a second copy.
  const imported = o.withHistoryRun
    ? await tx.trainingRun.findFirst({
        where: { checkpointId: null, origin: { not: null }, card: { path: ['weightsSha256'], equals: o.sha } },
        select: { id: true },
      })
    : null;
  const row = await tx.checkpoint.create({
    data: {
      arch: manifest.arch,
      // A model trained here is named apart from the shipped one of its architecture (both rank on one leaderboard).
      name: o.trainingRunId ? `${modelName(manifest.config)} · run ${o.trainingRunId.slice(-6)}` : modelName(manifest.config),
      dir: o.rel,
      weightsSha256: o.sha,
      config: manifest.config,
      params: trainableParams(manifest),
      gflops: countGflops(manifest.config),
      card,
      trainingRuns: imported ? { connect: { id: imported.id } } : o.withHistoryRun ? { create: historyRun } : undefined,
    },
  });
  return { id: row.id, arch: row.arch, name: row.name, created: true };
}

/** Trainable parameters from the weights manifest (batch-norm running statistics excluded). */
function trainableParams(manifest: CheckpointManifest): number {
  return manifest.weightsManifest
    .flatMap((g) => g.weights)
    .filter((w) => !/\/moving_(mean|variance)$/.test(w.name))
    .reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0);
}

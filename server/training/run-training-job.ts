import path from 'node:path';
import { registerCheckpoint } from '../checkpoints/register-checkpoints.ts';
import { config } from '../config.ts';
import { getDb } from '../db/client.ts';
import { isDatabaseUnavailable } from '../db/database-outage.ts';
import { perClassIouSchema } from '../schemas/evaluation.ts';
import { parseJson } from '../schemas/common.ts';
import { AppError, INTERNAL_RUN_FAILURE, userMessageOf } from '../errors.ts';
import { isLastAttempt } from '../jobs/definitions.ts';
import { ingredientsOf } from './ingredients.ts';
import { startTrainingSchema } from './start-training-run.ts';
import { DEFAULT_TRAIN, trainingNetwork } from './train-defaults.ts';
import { hasEncoder } from '../../models/config.ts';
import { queueTrainedEvaluations } from './queue-trained-evaluations.ts';
import { trainModel } from './train-model.ts';
import { writeTrainingCard } from './write-card.ts';

/** Step progress is only for display: written at most this often, whatever the step time, so it adds next to no database traffic. */
const PROGRESS_WRITE_INTERVAL_MS = 2000;

/**
 * The worker side of a training run started from the app: the same loop as the CLI,
 * per-epoch rows in PostgreSQL, progress every few steps, cancel between steps, and the
 * best checkpoint registered at the end. A retried job resumes from its last epoch; the run
 * is marked failed only when the queue will not retry (the same rule as evaluation chunks).
 */
export async function runTrainingJob({ runId, retryCount, signal }: { runId: string; retryCount: number; signal?: AbortSignal }): Promise<void> {
  const db = getDb();
  const run = await db.trainingRun.findUnique({ where: { id: runId } });
  if (!run || run.status === 'cancelled' || run.status === 'failed') return;
  // A retry after the checkpoint was registered: only the evaluations may be missing.
  if (run.status === 'completed') {
    await queueTrainedEvaluations({ runId });
    return;
  }
  const outDir = path.resolve('.pixeldrive/checkpoints', runId);
  let lastWrite = 0;
  try {
    const opts = parseTrainingOptions(runId, run.options);
    await db.trainingRun.update({ where: { id: runId }, data: { status: 'running', startedAt: run.startedAt ?? new Date() } });
    const result = await trainModel({
      ...DEFAULT_TRAIN,
      arch: opts.arch,
      ...trainingNetwork(opts.arch, { input: opts.input, ...(hasEncoder(opts.arch) ? { encoderInit: opts.encoderInit } : { width: opts.width }) }),
      datasetRoot: path.join(config.dataDir, 'carla-drive'),
      outDir,
      stateDir: path.join(outDir, 'state'),
      epochs: opts.epochs,
      batchSize: opts.batchSize,
      seed: opts.seed,
      cropWidth: opts.input.width,
      cropHeight: opts.input.height,
      ...ingredientsOf(opts),
      resume: true,
      onStart: async ({ engine }) => {
        await db.trainingRun.update({ where: { id: runId }, data: { backend: engine } });
      },
      onStep: ({ epoch, step, stepsPerEpoch }) => {
        if (Date.now() - lastWrite < PROGRESS_WRITE_INTERVAL_MS) return;
        lastWrite = Date.now();
        void db.trainingRun
          .update({ where: { id: runId }, data: { progress: ((epoch - 1) * stepsPerEpoch + step) / (opts.epochs * stepsPerEpoch) } })
          .catch(() => {});
      },
      onEpoch: async (r) => {
        const data = {
          trainLoss: r.trainLoss,
          valLoss: r.valLoss,
          valMiou: r.valMiou,
          valPixelAccuracy: r.valPixelAccuracy,
          perClassIou: parseJson(
            perClassIouSchema,
            r.valPerClassIou.map((v) => (Number.isFinite(v) ? v : null)),
            `epoch ${r.epoch} per-class IoU`,
          ),
          lr: r.lr,
          seconds: r.seconds,
        };
        await db.trainingEpoch.upsert({ where: { runId_epoch: { runId, epoch: r.epoch } }, create: { runId, epoch: r.epoch, ...data }, update: data });
        await db.trainingRun.update({ where: { id: runId }, data: { epochsDone: r.epoch, progress: r.epoch / opts.epochs } });
      },
      shouldStop: async () =>
        signal?.aborted || ((await db.trainingRun.findUnique({ where: { id: runId }, select: { cancelRequested: true } }))?.cancelRequested ?? false),
      keepBestWhenStopped: async () => {
        if (signal?.aborted) return false; // an interruption, not the user's stop: the retry resumes
        const r = await db.trainingRun.findUnique({ where: { id: runId }, select: { cancelRequested: true, keepBestOnStop: true } });
        return r?.cancelRequested === true && r.keepBestOnStop;
      },
    });
    if (result.stopped && !result.keptBest) {
      const cancelled = (await db.trainingRun.findUnique({ where: { id: runId }, select: { cancelRequested: true } }))?.cancelRequested;
      if (cancelled) {
        await db.trainingRun.update({ where: { id: runId }, data: { status: 'cancelled', finishedAt: new Date(), error: 'cancelled by user' } });
        return;
      }
      // The job expired or the worker is stopping: not the user's cancel. The queue retries the
      // job, which resumes from the last saved epoch.
      await db.trainingRun.update({ where: { id: runId }, data: { status: 'interrupted' } });
      throw new AppError('BUSY', `training run ${runId} interrupted`, 'It was interrupted (its time slot ended or the worker stopped) and was not resumed.');
    }
    // Stopped and kept: the card says how many epochs the checkpoint had, not how many were planned.
    const card = await writeTrainingCard({
      outDir,
      result,
      seed: opts.seed,
      epochs: result.keptBest ? result.history.length : opts.epochs,
      batchSize: opts.batchSize,
      cropWidth: opts.input.width,
      cropHeight: opts.input.height,
      evaluate: opts.evaluate,
    });
    // The checkpoint row and this run's completion in one transaction; this run is the checkpoint's history.
    await registerCheckpoint(outDir, {
      card,
      trainingRun: { id: runId, bestEpoch: result.bestEpoch, bestValMiou: result.bestValMiou, wallSeconds: result.wallSeconds },
    });
  } catch (e) {
    // Not for a lost database: the worker runs the job again once it is back (start-worker.ts).
    if (isLastAttempt('training', retryCount) && !isDatabaseUnavailable(e)) {
      console.error(`[training] run ${runId} failed for good:`, e);
      await db.trainingRun.update({
        where: { id: runId },
        data: {
          status: 'failed',
          error: `failed after ${retryCount + 1} attempts: ${userMessageOf(e, INTERNAL_RUN_FAILURE)}`.slice(0, 1000),
          finishedAt: new Date(),
        },
      });
    }
    throw e;
  }
  // Outside the try: the run is completed by now, and a failure here (e.g. the evaluation quota)
  // must not mark it failed; the queue retries the job, which lands in the branch above.
  await queueTrainedEvaluations({ runId });
}

function parseTrainingOptions(runId: string, options: unknown) {
  try {
    return parseJson(startTrainingSchema, options, `training run ${runId} options`);
  } catch (e) {
    throw new AppError('INVALID_INPUT', (e as Error).message, 'Its stored training options are not valid.');
  }
}

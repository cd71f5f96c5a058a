import { runHealthCheck } from '../health/run-health-check.ts';
import { JOB_DEFINITIONS, type JobName } from '../jobs/definitions.ts';

type Handler = (payload: unknown, ctx: { jobId: string; signal: AbortSignal; retryCount: number }) => Promise<void>;

/**
 * Queue → handler. Every handler follows one pattern: re-parse the payload with the job's
 * schema; leave a finished, cancelled or failed record alone; mark it running inside the
 * try; on failure mark it failed only on the last attempt (`isLastAttempt`), then throw so
 * pg-boss retries or records the failure; nothing is logged and swallowed.
 */
export const HANDLERS: Record<JobName, Handler> = {
  healthCheck: async (payload) => runHealthCheck(JOB_DEFINITIONS.healthCheck.schema.parse(payload)),
  evaluationChunk: async (payload, ctx) => {
    const { processEvaluationChunk } = await import('../evaluation/process-evaluation-chunk.ts');
    await processEvaluationChunk({ ...JOB_DEFINITIONS.evaluationChunk.schema.parse(payload), retryCount: ctx.retryCount, signal: ctx.signal });
  },
  training: async (payload, ctx) => {
    const { runTrainingJob } = await import('../training/run-training-job.ts');
    await runTrainingJob({ ...JOB_DEFINITIONS.training.schema.parse(payload), retryCount: ctx.retryCount, signal: ctx.signal });
  },
};

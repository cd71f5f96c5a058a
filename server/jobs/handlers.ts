import { runHealthCheck } from '../health/run-health-check.ts';
import { JOB_DEFINITIONS, type JobName } from './definitions.ts';

type Handler = (payload: unknown, ctx: { jobId: string; signal: AbortSignal; retryCount: number }) => Promise<void>;

/**
 * Queue → handler. Each handler re-parses its payload with the job's schema and throws
 * on failure so pg-boss retries; nothing is logged and swallowed.
 */
export const HANDLERS: Record<JobName, Handler> = {
  healthCheck: async (payload) => runHealthCheck(JOB_DEFINITIONS.healthCheck.schema.parse(payload)),
  evaluationChunk: async (payload, ctx) => {
    const { processEvaluationChunk } = await import('../evaluation/process-evaluation-chunk.ts');
    await processEvaluationChunk({ ...JOB_DEFINITIONS.evaluationChunk.schema.parse(payload), retryCount: ctx.retryCount, signal: ctx.signal });
  },
  training: async (payload, ctx) => {
    const { runTrainingJob } = await import('../training/run-training-job.ts');
    await runTrainingJob({ ...JOB_DEFINITIONS.training.schema.parse(payload), signal: ctx.signal });
  },
};

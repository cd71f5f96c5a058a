import { z } from 'zod';
import { config } from '../config.ts';

/**
 * Every background job: its queue, the zod schema of its payload, its retry policy and how
 * many of its jobs one worker runs at once. Handlers live in server/worker/handlers.ts (loaded
 * by the worker only) and re-parse the payload; ./enqueue.ts sends.
 */
export const JOB_DEFINITIONS = {
  healthCheck: {
    queue: 'health-check',
    schema: z.object({ healthCheckId: z.string().min(1) }),
    queueOptions: { retryLimit: 3, retryDelay: 1, expireInSeconds: 60, notify: true },
    localConcurrency: 1,
  },
  evaluationChunk: {
    queue: 'evaluation-chunk',
    schema: z.object({ runId: z.string().min(1), chunk: z.number().int().min(0), imageIds: z.array(z.string().min(1)).min(1).max(256) }),
    // A worker that dies mid-chunk stops sending heartbeats: the chunk is retried elsewhere within ~20 s.
    queueOptions: { retryLimit: 4, retryDelay: 2, retryBackoff: true, expireInSeconds: 1800, heartbeatSeconds: 20, notify: true },
    localConcurrency: config.workerConcurrency,
  },
  training: {
    queue: 'training',
    schema: z.object({ runId: z.string().min(1) }),
    // One at a time per worker: a training step already keeps every core busy. Each job's expiry
    // follows its budget (training-job-options.ts); a retry resumes from the last saved epoch, so
    // three retries cover a worker killed mid-epoch twice and a run longer than one expiry.
    queueOptions: { retryLimit: 3, retryDelay: 10, expireInSeconds: 6 * 3600, heartbeatSeconds: config.trainingHeartbeatSeconds, notify: true },
    localConcurrency: 1,
  },
} as const;

export type JobName = keyof typeof JOB_DEFINITIONS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOB_DEFINITIONS)[N]['schema']>;

/** Whether a failure on attempt `retryCount` (0-based) is final: the queue will not retry it. */
export function isLastAttempt(name: JobName, retryCount: number): boolean {
  return retryCount >= JOB_DEFINITIONS[name].queueOptions.retryLimit;
}

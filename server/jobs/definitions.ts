import { z } from 'zod';

/**
 * Every background job: its queue, the zod schema of its payload and its retry policy.
 * Handlers live in ./handlers.ts (loaded by the worker only) and re-parse the payload.
 */
export const JOB_DEFINITIONS = {
  healthCheck: {
    queue: 'health-check',
    schema: z.object({ healthCheckId: z.string().min(1) }),
    queueOptions: { retryLimit: 3, retryDelay: 1, expireInSeconds: 60, notify: true },
  },
  evaluationChunk: {
    queue: 'evaluation-chunk',
    schema: z.object({ runId: z.string().min(1), chunk: z.number().int().min(0), imageIds: z.array(z.string().min(1)).min(1).max(256) }),
    // A worker that dies mid-chunk stops sending heartbeats: the chunk is retried elsewhere within ~20 s.
    queueOptions: { retryLimit: 4, retryDelay: 2, retryBackoff: true, expireInSeconds: 1800, heartbeatSeconds: 20, notify: true },
  },
  training: {
    queue: 'training',
    schema: z.object({ runId: z.string().min(1) }),
    queueOptions: { retryLimit: 1, retryDelay: 10, expireInSeconds: 6 * 3600, heartbeatSeconds: 120, notify: true },
  },
} as const;

export type JobName = keyof typeof JOB_DEFINITIONS;
export type JobPayload<N extends JobName> = z.infer<(typeof JOB_DEFINITIONS)[N]['schema']>;

/** Validates then enqueues: a malformed payload never reaches the queue. */
export async function enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options: { singletonKey?: string } = {}): Promise<string | null> {
  const def = JOB_DEFINITIONS[name];
  const data = def.schema.parse(payload);
  const { getBoss } = await import('./boss.ts');
  const boss = await getBoss();
  return boss.send(def.queue, data as object, { ...def.queueOptions, ...options });
}

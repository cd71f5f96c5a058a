/**
 * Runs that are not finished: they count toward the quotas, show progress, can be cancelled and
 * are watched by the repair sweep (server/worker/repair-runs.ts). `interrupted` is a training run
 * whose worker stopped; its job resumes it from the last saved epoch.
 */
export const UNFINISHED_EVALUATION_STATUSES: string[] = ['queued', 'running', 'finalizing'];
export const UNFINISHED_TRAINING_STATUSES: string[] = ['queued', 'running', 'interrupted'];

/**
 * How long one attempt of a training job may run before the queue expires it. It follows the
 * run's budget (a generous allowance per epoch) instead of one fixed 6 h that cut long runs off;
 * pg-boss caps an expiry at 24 h, and a run that needs longer carries on in its next attempt from
 * its last saved epoch (an expiry interrupts, it never cancels).
 */
const TRAINING_SECONDS_PER_EPOCH = 15 * 60;
const MIN_EXPIRY_SECONDS = 3600;
const MAX_EXPIRY_SECONDS = 24 * 3600;

export function trainingJobOptions(epochs: number): { expireInSeconds: number } {
  return { expireInSeconds: Math.min(MAX_EXPIRY_SECONDS, Math.max(MIN_EXPIRY_SECONDS, epochs * TRAINING_SECONDS_PER_EPOCH)) };
}

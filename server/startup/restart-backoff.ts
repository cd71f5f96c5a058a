/**
 * When `npm start` restarts a service (web app or worker) that exited on its own: after 1 s, then
 * 2, 4, 8 … up to 30 s while it keeps failing soon after each start; a service that stayed up
 * for a minute starts again from 1 s. One crash costs a second of downtime for that service
 * only; a crash loop costs little CPU and never stops the others.
 */
export class RestartBackoff {
  private failures = 0;
  private startedAt = 0;

  constructor(private readonly o: { firstMs: number; maxMs: number; stableMs: number } = { firstMs: 1000, maxMs: 30_000, stableMs: 60_000 }) {}

  started(now = Date.now()): void {
    this.startedAt = now;
  }

  /** Exits counted so far without the service staying up in between (the one just reported included). */
  get inARow(): number {
    return this.failures;
  }

  /** The wait before the next start, for an exit at `now`. */
  delayAfterExit(now = Date.now()): number {
    if (now - this.startedAt >= this.o.stableMs) this.failures = 0;
    const delay = Math.min(this.o.maxMs, this.o.firstMs * 2 ** this.failures);
    this.failures++;
    return delay;
  }
}

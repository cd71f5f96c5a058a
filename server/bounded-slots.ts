import { AppError } from './errors.ts';

/**
 * A fixed number of slots with a bounded, time-limited waiting line. A burst is served in
 * turn instead of being turned away at once, while memory stays bounded: work holds its
 * inputs only once it has a slot (callers take the slot BEFORE reading a request body), and
 * whoever cannot be served soon gets a clear "busy, retry" (HTTP 503 with Retry-After).
 */
export class BoundedSlots {
  private running = 0;
  private readonly waiting: { grant: () => void; fail: (e: AppError) => void }[] = [];

  constructor(private readonly o: { slots: number; maxWaiting: number; maxWaitMs: number; busyMessage: string }) {}

  /** Counts for tests and the System page. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }

  private busy(why: string): AppError {
    return new AppError('BUSY', why, this.o.busyMessage);
  }

  private acquire(signal?: AbortSignal): Promise<void> {
    if (this.running < this.o.slots) {
      this.running++;
      return Promise.resolve();
    }
    if (this.waiting.length >= this.o.maxWaiting) return Promise.reject(this.busy(`${this.waiting.length} already waiting`));
    return new Promise<void>((resolve, reject) => {
      const leave = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
      };
      const entry = {
        // The releasing caller hands its slot over: `running` stays as it is.
        grant: () => {
          leave();
          resolve();
        },
        fail: (e: AppError) => {
          leave();
          reject(e);
        },
      };
      const timer = setTimeout(() => entry.fail(this.busy(`waited ${this.o.maxWaitMs} ms`)), this.o.maxWaitMs);
      // A client that hung up while waiting gives its place to the next one.
      const onAbort = () => entry.fail(this.busy('client went away'));
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  private release(): void {
    const next = this.waiting[0];
    if (next) next.grant();
    else this.running--;
  }
}

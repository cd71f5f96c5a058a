/**
 * A byte-bounded LRU for what a page draws on demand. Completed runs and registered images never
 * change, so a drawn map stays right for the life of the process; the bound keeps a long session
 * of browsing from holding every map it ever drew.
 */
export class ByteLru<V> {
  private readonly entries = new Map<string, { value: V; bytes: number }>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get(key: string): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value;
  }

  set(key: string, value: V, bytes: number): void {
    if (bytes > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old) {
      this.bytes -= old.bytes;
      this.entries.delete(key);
    }
    this.entries.set(key, { value, bytes });
    this.bytes += bytes;
    for (const [k, e] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= e.bytes;
    }
  }

  /** The cached value, or `make()`'s, stored under `key`; concurrent callers of one key share one computation. */
  async getOrMake(key: string, make: () => Promise<V>, sizeOf: (v: V) => number): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = make().then((v) => {
        this.set(key, v, sizeOf(v));
        return v;
      });
      this.inFlight.set(key, pending);
      pending.then(
        () => this.inFlight.delete(key),
        () => this.inFlight.delete(key),
      );
    }
    return pending;
  }

  private readonly inFlight = new Map<string, Promise<V>>();

  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }
}

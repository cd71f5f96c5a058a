/**
 * A least-recently-used cache bounded by the total size of what it holds, each value measured
 * by `sizeOf`: bytes for what a page draws on demand (completed runs and registered images never
 * change, so a drawn map stays right for the life of the process, and the bound keeps a long
 * session of browsing from holding every map it ever drew), or 1 a value (the default) for a
 * bound on the number of entries, such as the loaded models.
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, { value: V; size: number }>();
  private total = 0;
  private readonly inFlight = new Map<K, Promise<V>>();

  constructor(
    private readonly maxSize: number,
    private readonly sizeOf: (value: V) => number = () => 1,
  ) {}

  /** The value, now the most recently used. */
  get(key: K): V | undefined {
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    // Re-insert: a Map iterates in insertion order, so the first key is the least recently used.
    this.entries.delete(key);
    this.entries.set(key, hit);
    return hit.value;
  }

  /**
   * Stores the value as the most recently used; returns the values evicted to make room, for the
   * caller to release. A value larger than the whole bound is not stored.
   */
  set(key: K, value: V): V[] {
    const size = this.sizeOf(value);
    if (size > this.maxSize) return [];
    this.delete(key);
    this.entries.set(key, { value, size });
    this.total += size;
    const evicted: V[] = [];
    for (const [k, e] of this.entries) {
      if (this.total <= this.maxSize) break;
      this.delete(k);
      evicted.push(e.value);
    }
    return evicted;
  }

  /** The cached value, or `make()`'s, stored under `key`; concurrent callers of one key share one computation, and a failure is not kept. */
  async getOrMake(key: K, make: () => Promise<V>): Promise<V> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = make().then((v) => {
        this.set(key, v);
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

  /** Removes the key only while it still holds this value (a late failure must not drop its replacement). */
  deleteIf(key: K, value: V): void {
    if (this.entries.get(key)?.value === value) this.delete(key);
  }

  keys(): K[] {
    return [...this.entries.keys()];
  }

  /** Empties the cache and returns what it held. */
  drain(): V[] {
    const all = [...this.entries.values()].map((e) => e.value);
    this.entries.clear();
    this.total = 0;
    return all;
  }

  get size(): { entries: number; total: number } {
    return { entries: this.entries.size, total: this.total };
  }

  private delete(key: K): void {
    const old = this.entries.get(key);
    if (!old) return;
    this.total -= old.size;
    this.entries.delete(key);
  }
}

/** A Map that keeps at most `capacity` entries, forgetting the least recently used first. */
export class LruMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  /** The value, now the most recently used. */
  get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const v = this.entries.get(key)!;
    this.entries.delete(key); // re-inserted last: Map order is the recency order
    this.entries.set(key, v);
    return v;
  }

  /** Stores the value as the most recently used; returns what was evicted to make room (for the caller to release). */
  set(key: K, value: V): V[] {
    this.entries.delete(key);
    this.entries.set(key, value);
    const evicted: V[] = [];
    for (const [k, v] of this.entries) {
      if (this.entries.size <= this.capacity) break;
      this.entries.delete(k);
      evicted.push(v);
    }
    return evicted;
  }

  /** Removes the key only while it still holds this value (a late failure must not drop its replacement). */
  deleteIf(key: K, value: V): void {
    if (this.entries.get(key) === value) this.entries.delete(key);
  }

  keys(): K[] {
    return [...this.entries.keys()];
  }

  /** Empties the map and returns what it held. */
  drain(): V[] {
    const all = [...this.entries.values()];
    this.entries.clear();
    return all;
  }
}

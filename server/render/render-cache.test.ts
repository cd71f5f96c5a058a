import { describe, expect, it } from 'vitest';
import { ByteLru } from './render-cache.ts';

describe('ByteLru', () => {
  it('evicts the least recently used entries once the byte bound is passed', () => {
    const lru = new ByteLru<string>(10);
    lru.set('a', 'A', 4);
    lru.set('b', 'B', 4);
    expect(lru.get('a')).toBe('A'); // a is now the most recent
    lru.set('c', 'C', 4);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.get('a')).toBe('A');
    expect(lru.get('c')).toBe('C');
    expect(lru.size).toEqual({ entries: 2, bytes: 8 });
  });

  it('does not keep a value larger than the whole bound', () => {
    const lru = new ByteLru<string>(10);
    lru.set('big', 'X', 11);
    expect(lru.get('big')).toBeUndefined();
  });

  it('runs one computation for concurrent callers of a key, and none once cached', async () => {
    const lru = new ByteLru<number>(100);
    let calls = 0;
    const make = async () => {
      calls++;
      return 42;
    };
    const [x, y] = await Promise.all([lru.getOrMake('k', make, () => 1), lru.getOrMake('k', make, () => 1)]);
    expect([x, y, calls]).toEqual([42, 42, 1]);
    await lru.getOrMake('k', make, () => 1);
    expect(calls).toBe(1);
  });

  it('does not cache a failure: the next caller tries again', async () => {
    const lru = new ByteLru<number>(100);
    await expect(
      lru.getOrMake(
        'k',
        () => Promise.reject(new Error('boom')),
        () => 1,
      ),
    ).rejects.toThrow('boom');
    await expect(
      lru.getOrMake(
        'k',
        async () => 7,
        () => 1,
      ),
    ).resolves.toBe(7);
  });
});

import { describe, expect, it } from 'vitest';
import { LruCache } from './lru-cache.ts';

describe('LruCache', () => {
  it('evicts the least recently used once the size bound is passed, a read counting as a use', () => {
    const lru = new LruCache<string, string>(10, (v) => v.length);
    expect(lru.set('a', 'AAAA')).toEqual([]);
    expect(lru.set('b', 'BBBB')).toEqual([]);
    expect(lru.get('a')).toBe('AAAA'); // a is now the most recent
    expect(lru.set('c', 'CCCC')).toEqual(['BBBB']);
    expect(lru.get('b')).toBeUndefined();
    expect(lru.keys()).toEqual(['a', 'c']);
    expect(lru.size).toEqual({ entries: 2, total: 8 });
  });

  it('counts entries when given no size function', () => {
    const lru = new LruCache<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.set('c', 3)).toEqual([1]);
    expect(lru.size).toEqual({ entries: 2, total: 2 });
  });

  it('does not keep a value larger than the whole bound', () => {
    const lru = new LruCache<string, string>(10, (v) => v.length);
    expect(lru.set('big', 'X'.repeat(11))).toEqual([]);
    expect(lru.get('big')).toBeUndefined();
    expect(lru.size).toEqual({ entries: 0, total: 0 });
  });

  it('replaces a key in place without evicting, and deleteIf spares a replacement', () => {
    const lru = new LruCache<string, number>(2);
    lru.set('a', 1);
    lru.set('b', 2);
    expect(lru.set('a', 10)).toEqual([]);
    lru.deleteIf('a', 1);
    expect(lru.get('a')).toBe(10);
    lru.deleteIf('a', 10);
    expect(lru.size).toEqual({ entries: 1, total: 1 });
    expect(lru.drain()).toEqual([2]);
    expect(lru.size).toEqual({ entries: 0, total: 0 });
  });

  it('runs one computation for concurrent callers of a key, and none once cached', async () => {
    const lru = new LruCache<string, number>(100);
    let calls = 0;
    const make = async () => {
      calls++;
      return 42;
    };
    const [x, y] = await Promise.all([lru.getOrMake('k', make), lru.getOrMake('k', make)]);
    expect([x, y, calls]).toEqual([42, 42, 1]);
    await lru.getOrMake('k', make);
    expect(calls).toBe(1);
  });

  it('does not cache a failure: the next caller tries again', async () => {
    const lru = new LruCache<string, number>(100);
    await expect(lru.getOrMake('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(lru.getOrMake('k', async () => 7)).resolves.toBe(7);
  });
});

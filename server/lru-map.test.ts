import { describe, expect, it } from 'vitest';
import { LruMap } from './lru-map.ts';

describe('LruMap', () => {
  it('evicts the least recently used beyond its capacity, a read counting as a use', () => {
    const m = new LruMap<string, number>(2);
    expect(m.set('a', 1)).toEqual([]);
    expect(m.set('b', 2)).toEqual([]);
    expect(m.get('a')).toBe(1);
    expect(m.set('c', 3)).toEqual([2]);
    expect(m.keys()).toEqual(['a', 'c']);
    expect(m.get('b')).toBeUndefined();
  });

  it('replaces a key in place without evicting, and deleteIf spares a replacement', () => {
    const m = new LruMap<string, number>(2);
    m.set('a', 1);
    m.set('b', 2);
    expect(m.set('a', 10)).toEqual([]);
    m.deleteIf('a', 1);
    expect(m.get('a')).toBe(10);
    m.deleteIf('a', 10);
    expect(m.size).toBe(1);
    expect(m.drain()).toEqual([2]);
    expect(m.size).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { assignSplits, splitFingerprint } from './split.ts';

const drive = Array.from({ length: 479 }, (_, i) => ({ key: `000_${String(i + 21).padStart(4, '0')}`, subset: '' }));

describe('assignSplits', () => {
  it('is deterministic, covers every frame once and has a stable fingerprint', () => {
    const a = assignSplits(drive);
    const b = assignSplits([...drive].reverse());
    expect([...a.entries()].sort()).toEqual([...b.entries()].sort());
    expect(a.size).toBe(479);
    expect(splitFingerprint(a)).toBe(splitFingerprint(b));
  });

  it('puts contiguous blocks of 40 frames in validation, every fifth block', () => {
    const a = assignSplits(drive);
    const val = drive.filter((f) => a.get(f.key) === 'val').map((_, i) => i);
    expect(val).toHaveLength(80);
    const idx = drive
      .map((f, i) => [i, a.get(f.key)] as const)
      .filter(([, s]) => s === 'val')
      .map(([i]) => i);
    expect(idx[0]).toBe(160);
    expect(idx.slice(0, 40)).toEqual(Array.from({ length: 40 }, (_, i) => 160 + i));
    // Train and val are disjoint and only touch at the two block edges of each val block.
    const boundaries = drive.slice(1).filter((f, i) => a.get(f.key) !== a.get(drive[i].key)).length;
    expect(boundaries).toBe(4);
  });

  it('splits the official layout by whole subsets', () => {
    const frames = ['dataA', 'dataB', 'dataC', 'dataD', 'dataE'].flatMap((s) => Array.from({ length: 3 }, (_, i) => ({ key: `${s}/${i}`, subset: s })));
    const a = assignSplits(frames);
    for (const s of ['dataA', 'dataB', 'dataC', 'dataD', 'dataE']) {
      expect(new Set(frames.filter((f) => f.subset === s).map((f) => a.get(f.key))).size).toBe(1);
    }
    expect(a.get('dataE/0')).toBe('val');
  });
});

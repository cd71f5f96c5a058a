import { describe, expect, it } from 'vitest';
import { DRIVE_DIR } from '../../test/fixtures.ts';
import { scanDataset } from '../dataset/read-dataset.ts';
import { carveSelectionSplit } from './selection-split.ts';

describe('carveSelectionSplit', () => {
  it('holds out whole training blocks, disjoint from val and from the frames trained on', async () => {
    const ds = await scanDataset(DRIVE_DIR);
    const { train, selection, blocks } = carveSelectionSplit(ds);
    const keys = (fs: { key: string }[]) => new Set(fs.map((f) => f.key));
    const val = keys(ds.frames.filter((f) => f.split === 'val'));
    expect(blocks).toEqual([2]);
    expect(selection).toHaveLength(40);
    expect(train.length + selection.length).toBe(ds.frames.length - val.size);
    for (const f of selection) expect(val.has(f.key) || keys(train).has(f.key)).toBe(false);
    // One contiguous run of frames: the 40 consecutive names of block 2.
    const ordered = [...ds.frames].sort((a, b) => a.key.localeCompare(b.key)).map((f) => f.key);
    expect(selection.map((f) => f.key)).toEqual(ordered.slice(80, 120));
  }, 60_000);

  it('refuses a dataset too small to have a selection block, naming the rule', async () => {
    const ds = await scanDataset(DRIVE_DIR);
    expect(() => carveSelectionSplit(ds, { every: 10, offset: 12 })).toThrow(/no training block has index ≡ 12/);
  }, 60_000);
});

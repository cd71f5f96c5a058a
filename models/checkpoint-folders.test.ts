import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeCheckpointFolders, finishedCheckpointFolders } from './checkpoint-folders.ts';

const SHIPPED = path.resolve('models/checkpoints');

describe('finishedCheckpointFolders', () => {
  it('lists, in name order, the folders with model.json and card.json; one still training (no card) and a stray file are left out', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'pixeldrive-folders-'));
    for (const [name, files] of [
      ['b-done', ['model.json', 'card.json']],
      ['a-done', ['model.json', 'card.json']],
      ['c-training', ['model.json', 'history.json']],
    ] as const) {
      await mkdir(path.join(dir, name));
      for (const f of files) await writeFile(path.join(dir, name, f), '{}');
    }
    await writeFile(path.join(dir, 'notes.txt'), 'x');
    expect(finishedCheckpointFolders(dir)).toEqual([path.join(dir, 'a-done'), path.join(dir, 'b-done')]);
    expect(finishedCheckpointFolders(path.join(dir, 'no-such-folder'))).toEqual([]);
  });
});

describe('describeCheckpointFolders on the shipped checkpoints', () => {
  it('names every shipped model apart, by the name its card gives, the seed’s three among them', async () => {
    const shipped = await describeCheckpointFolders(SHIPPED);
    const names = shipped.map((c) => c.name);
    // Two folders of one network would be two leaderboard rows of one name, and "all models" would evaluate only the newer.
    expect(new Set(names).size).toBe(names.length);
    for (const c of shipped) expect(JSON.parse(await readFile(path.join(c.dir, 'card.json'), 'utf8')).name).toBe(c.name);
    expect(names).toEqual(expect.arrayContaining(['U-Net', 'SegNet', 'DeepLabV3+']));
  });
});

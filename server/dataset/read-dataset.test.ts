import { mkdir, mkdtemp, readdir, readFile, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DRIVE_DIR } from '../../test/fixtures.ts';
import { countClassPixels } from './class-frequencies.ts';
import { decodeLabel } from './decode.ts';
import type { LabelMap } from './image-types.ts';
import { applyIgnoreMask, computeHoodMask } from './hood-mask.ts';
import { scanDataset } from './read-dataset.ts';

/** The first `n` frames of the drive, linked into a fresh folder. */
async function firstFrames(n: number): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pixeldrive-scan-'));
  for (const sub of ['CameraRGB', 'CameraSeg']) {
    await mkdir(path.join(dir, sub));
    for (const name of (await readdir(path.join(DRIVE_DIR, sub))).sort().slice(0, n)) await symlink(path.join(DRIVE_DIR, sub, name), path.join(dir, sub, name));
  }
  return dir;
}

describe('scanDataset', () => {
  it('streams to the same hood, per-frame and per-split counts as holding every label', async () => {
    const dir = await firstFrames(200);
    const ds = await scanDataset(dir);
    // Reference: every label in memory, the hood from all of them, then the counts.
    const labels: LabelMap[] = [];
    for (const f of ds.frames) labels.push(await decodeLabel(await readFile(f.labelPath), f.labelPath));
    const hood = computeHoodMask(labels);
    expect(Buffer.from(ds.hoodMasks.get('')!).equals(Buffer.from(hood))).toBe(true);
    expect(hood.reduce((a, b) => a + b, 0)).toBeGreaterThan(50_000);
    const perSplit = { train: new Array(13).fill(0), val: new Array(13).fill(0), test: new Array(13).fill(0) };
    ds.frames.forEach((f, i) => {
      const counts = countClassPixels([applyIgnoreMask(labels[i], hood)]);
      expect(f.classPixels, f.key).toEqual(counts);
      counts.forEach((c, k) => (perSplit[f.split][k] += c));
    });
    expect(ds.classPixels).toEqual(perSplit);
    expect(ds.frames.filter((f) => f.split === 'val')).toHaveLength(40); // five blocks of 40, the fifth is val
  });

  it('keeps the hood when asked and never runs the second pass', async () => {
    const dir = await firstFrames(8);
    const phases = new Set<string>();
    const ds = await scanDataset(dir, { policy: { ignoreIndex: 255, hood: 'keep', hoodThreshold: 0.95 }, onProgress: (_d, _t, phase) => phases.add(phase) });
    expect([...phases]).toEqual(['validate']);
    expect(ds.hoodMasks.get('')).toBeNull();
    expect(ds.classPixels.train.reduce((a, b) => a + b, 0)).toBe(8 * 800 * 600);
  });
});

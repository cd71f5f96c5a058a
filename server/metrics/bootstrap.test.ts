import { describe, expect, it } from 'vitest';
import { rng } from '../random.ts';
import { bootstrapMiou, groupIntoBlocks, pairedBootstrap } from './bootstrap.ts';
import { confusionOf, type ConfusionMatrix } from './confusion-matrix.ts';

function noisyImages(seed: number, count: number, errorRate: number, truthSeed = 1): ConfusionMatrix[] {
  const rt = rng(truthSeed);
  const rp = rng(seed);
  return Array.from({ length: count }, () => {
    const gt = Array.from({ length: 200 }, () => Math.floor(rt() * 4));
    const pred = gt.map((g) => (rp() < errorRate ? Math.floor(rp() * 4) : g));
    return confusionOf(gt, pred, 4);
  });
}

describe('bootstrapMiou', () => {
  it('is reproducible for a seed and brackets the estimate', () => {
    const imgs = noisyImages(3, 40, 0.3);
    const a = bootstrapMiou(imgs, { resamples: 1000, seed: 5 });
    const b = bootstrapMiou(imgs, { resamples: 1000, seed: 5 });
    expect(a).toEqual(b);
    expect(a.miou.low).toBeLessThanOrEqual(a.miou.estimate);
    expect(a.miou.high).toBeGreaterThanOrEqual(a.miou.estimate);
    expect(a.miou.high - a.miou.low).toBeGreaterThan(0);
    a.perClass.forEach((c) => expect(c.low).toBeLessThanOrEqual(c.high));
  });

  it('gives a narrower interval with more images', () => {
    const small = bootstrapMiou(noisyImages(3, 10, 0.3), { seed: 1 });
    const large = bootstrapMiou(noisyImages(3, 160, 0.3), { seed: 1 });
    expect(large.miou.high - large.miou.low).toBeLessThan(small.miou.high - small.miou.low);
  });
});

describe('pairedBootstrap', () => {
  it('finds no difference between a model and itself', () => {
    const imgs = noisyImages(3, 30, 0.3);
    const r = pairedBootstrap(imgs, imgs, { seed: 2 });
    expect(r.difference.estimate).toBe(0);
    expect(r.pValue).toBe(1);
  });

  it('finds a clear difference with a small p-value and a CI excluding 0', () => {
    const good = noisyImages(3, 60, 0.1);
    const bad = noisyImages(4, 60, 0.5);
    const r = pairedBootstrap(good, bad, { seed: 2 });
    expect(r.difference.estimate).toBeGreaterThan(0.2);
    expect(r.difference.low).toBeGreaterThan(0);
    expect(r.pValue).toBeLessThan(0.01);
  });
});

describe('groupIntoBlocks', () => {
  it('sums consecutive images into blocks and keeps the total', () => {
    const imgs = noisyImages(3, 10, 0.3);
    const blocks = groupIntoBlocks(imgs, 4);
    expect(blocks).toHaveLength(3);
    const total = (ms: ConfusionMatrix[]) => ms.reduce((s, m) => s + m.counts.reduce((a, b) => a + b, 0), 0);
    expect(total(blocks)).toBe(total(imgs));
  });
});

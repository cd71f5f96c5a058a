import { describe, expect, it } from 'vitest';
import { inWindow } from './in-window.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('inWindow', () => {
  it('runs every index once with at most `width` in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const seen: number[] = [];
    await inWindow(23, 4, async (i) => {
      most = Math.max(most, ++inFlight);
      await tick((i * 7) % 5);
      seen.push(i);
      inFlight--;
    });
    expect(most).toBe(4);
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, i) => i));
  });

  it('stops starting work after a failure and throws the lowest failing index', async () => {
    const started: number[] = [];
    const run = inWindow(100, 3, async (i) => {
      started.push(i);
      await tick(i === 4 ? 20 : 1); // 4 fails after 5 has already failed
      if (i === 4 || i === 5) throw new Error(`frame ${i}`);
    });
    await expect(run).rejects.toThrow('frame 4');
    expect(Math.max(...started)).toBeLessThan(12);
  });
});

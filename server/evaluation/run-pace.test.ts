import { describe, expect, it } from 'vitest';
import { runPace } from './run-pace.ts';

describe('runPace', () => {
  const start = new Date('2026-11-25T10:00:00Z');
  it('is the stored rate since the start, and the rest at that rate', () => {
    const p = runPace({ done: 30, total: 80, startedAt: start, now: new Date('2026-11-25T10:00:02Z') });
    expect(p!.imagesPerSecond).toBeCloseTo(15, 12);
    expect(p!.secondsLeft).toBeCloseTo(50 / 15, 12);
  });
  it('says nothing before there is something to measure', () => {
    expect(runPace({ done: 0, total: 80, startedAt: start, now: new Date('2026-11-25T10:00:02Z') })).toBeNull();
    expect(runPace({ done: 5, total: 80, startedAt: null, now: start })).toBeNull();
    expect(runPace({ done: 5, total: 80, startedAt: start, now: start })).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { RestartBackoff } from './restart-backoff.ts';

describe('RestartBackoff', () => {
  it('doubles the wait while a service keeps crashing soon after its start, up to the cap', () => {
    const b = new RestartBackoff();
    let now = 0;
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      b.started(now);
      now += 500; // crashes half a second after each start
      const d = b.delayAfterExit(now);
      delays.push(d);
      now += d;
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });

  it('starts again from the first wait once the service stayed up', () => {
    const b = new RestartBackoff();
    b.started(0);
    expect(b.delayAfterExit(100)).toBe(1000);
    b.started(1100);
    expect(b.delayAfterExit(1200)).toBe(2000);
    expect(b.inARow).toBe(2);
    b.started(3200);
    expect(b.delayAfterExit(3200 + 60_000)).toBe(1000);
    expect(b.inARow).toBe(1);
  });
});

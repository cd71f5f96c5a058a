import { describe, expect, it } from 'vitest';
import { BoundedSlots } from './bounded-slots.ts';
import { AppError } from './errors.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { open, opened };
}

describe('BoundedSlots', () => {
  it('runs at most `slots` at once and serves the waiting line in order', async () => {
    const slots = new BoundedSlots({ slots: 2, maxWaiting: 10, maxWaitMs: 5000, busyMessage: 'busy' });
    let active = 0;
    let peak = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        slots.run(async () => {
          active++;
          peak = Math.max(peak, active);
          order.push(i);
          await tick(5);
          active--;
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(slots.load).toEqual({ running: 0, waiting: 0 });
  });

  it('answers BUSY at once when the line is full, and after maxWaitMs when it does not move', async () => {
    const slots = new BoundedSlots({ slots: 1, maxWaiting: 1, maxWaitMs: 50, busyMessage: 'The models are busy.' });
    const g = gate();
    const holder = slots.run(() => g.opened);
    const waiter = slots.run(async () => 'served');
    const full = await slots.run(async () => 'never').catch((e: unknown) => e);
    expect(full).toBeInstanceOf(AppError);
    expect(full).toMatchObject({ code: 'BUSY', userMessage: 'The models are busy.' });
    const t0 = Date.now();
    await expect(waiter).rejects.toMatchObject({ code: 'BUSY' });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(40);
    g.open();
    await holder;
    expect(slots.load).toEqual({ running: 0, waiting: 0 });
    await expect(slots.run(async () => 'free again')).resolves.toBe('free again');
  });

  it('drops a waiter whose client went away, and a throwing task frees its slot', async () => {
    const slots = new BoundedSlots({ slots: 1, maxWaiting: 5, maxWaitMs: 5000, busyMessage: 'busy' });
    const g = gate();
    const holder = slots.run(() => g.opened);
    const ac = new AbortController();
    const gone = slots.run(async () => 'never', ac.signal);
    const next = slots.run(async () => {
      throw new Error('boom');
    });
    expect(slots.load.waiting).toBe(2);
    ac.abort();
    await expect(gone).rejects.toMatchObject({ code: 'BUSY' });
    expect(slots.load.waiting).toBe(1);
    g.open();
    await holder;
    await expect(next).rejects.toThrow('boom');
    expect(slots.load).toEqual({ running: 0, waiting: 0 });
  });
});

import { describe, expect, it } from 'vitest';
import { patiently, waitOutDatabaseOutages } from './database-outage.ts';

/** A statement that fails `failures` times with `message`, then answers. */
function flaky(message: string, failures: number) {
  let calls = 0;
  return {
    run: async () => {
      calls++;
      if (calls <= failures) throw new Error(message);
      return 'answered';
    },
    calls: () => calls,
  };
}

describe('a statement while the database is away', () => {
  waitOutDatabaseOutages(5_000);

  it.each([
    ['a refused connection', 'connect ECONNREFUSED 127.0.0.1:54329'],
    ['a pooled client that broke before the statement was sent', 'Client has encountered a connection error and is not queryable'],
  ])('is repeated, write or not, after %s: it never reached a server', async (_, message) => {
    const s = flaky(message, 2);
    await expect(patiently(s.run, 'INSERT INTO "Prediction" VALUES (1)')).resolves.toBe('answered');
    expect(s.calls()).toBe(3);
  });

  it('is repeated when a SELECT was cut off mid-way, not when a write was (it may have committed)', async () => {
    const read = flaky('Connection terminated unexpectedly', 1);
    await expect(patiently(read.run, 'SELECT 1')).resolves.toBe('answered');
    expect(read.calls()).toBe(2);
    const write = flaky('Connection terminated unexpectedly', 1);
    await expect(patiently(write.run, 'UPDATE "EvaluationRun" SET progress = 1')).rejects.toThrow(/Connection terminated/);
    expect(write.calls()).toBe(1);
  });

  it('is repeated when a transaction could not begin on a connection that died while idle: it holds nothing yet', async () => {
    const begin = flaky('terminating connection due to unexpected postmaster exit', 2);
    await expect(patiently(begin.run, 'BEGIN')).resolves.toBe('answered');
    expect(begin.calls()).toBe(3);
  });

  it('is not repeated for an error of the statement itself', async () => {
    const s = flaky('duplicate key value violates unique constraint', 1);
    await expect(patiently(s.run, 'SELECT 1')).rejects.toThrow(/duplicate key/);
    expect(s.calls()).toBe(1);
  });
});

import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { reportFailure } from './report-failure.ts';

const base = mkdtempSync(path.join(os.tmpdir(), 'pd-report-failure-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('reportFailure', () => {
  it('keeps an unexpected failure’s details in a log only its owner can read', () => {
    const logDir = path.join(base, 'logs');
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const line = reportFailure(new Error('boom'), { what: 'start', logDir });
    spy.mockRestore();
    expect(line).toMatch(/^start failed unexpectedly: boom \(details in /);
    const [log] = readdirSync(logDir);
    expect(statSync(logDir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(logDir, log)).mode & 0o777).toBe(0o600);
  });
});

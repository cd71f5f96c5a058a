import { describe, expect, it } from 'vitest';
import { clientOf, LoginAttempts } from './login-attempts.ts';

function clock(start = 1_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

describe('LoginAttempts', () => {
  it('lets a client fail up to its limit, then says how long to wait, and forgets failures after the window', () => {
    const c = clock();
    const a = new LoginAttempts({ perClient: 3, allClients: 100, windowMs: 60_000 }, c.now);
    for (let i = 0; i < 3; i++) {
      expect(a.retryAfter('1.2.3.4')).toBe(0);
      a.recordFailure('1.2.3.4');
      c.t += 10_000;
    }
    // Failures at 0, 10 and 20 s; now 30 s: the first one expires at 60 s.
    expect(a.retryAfter('1.2.3.4')).toBe(30);
    expect(a.retryAfter('5.6.7.8')).toBe(0);
    c.t += 30_000;
    expect(a.retryAfter('1.2.3.4')).toBe(0);
  });

  it('holds a ceiling over all clients, so forged client names do not multiply the attempts', () => {
    const c = clock();
    const a = new LoginAttempts({ perClient: 3, allClients: 5, windowMs: 60_000 }, c.now);
    for (let i = 0; i < 5; i++) a.recordFailure(`forged-${i}`);
    expect(a.retryAfter('forged-99')).toBe(60);
  });

  it('names the client by the first x-forwarded-for address', () => {
    expect(clientOf(new Headers({ 'x-forwarded-for': '10.0.0.7, 127.0.0.1' }))).toBe('10.0.0.7');
    expect(clientOf(new Headers())).toBe('unknown');
  });
});

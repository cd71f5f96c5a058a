import { NextRequest } from 'next/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { answer } from './proxy.ts';
import { allowedHostsFor, SESSION_COOKIE, sessionValue } from './server/access/access-policy.ts';
import { POST as login } from './app/api/login/route.ts';

const TOKEN = 'proxy-test-token-0123456789';
const locked = { token: TOKEN, allowedHosts: allowedHostsFor({ host: '0.0.0.0', extra: ['pixeldrive.example'] }) };

const request = (method: string, url: string, headers: Record<string, string> = {}) =>
  new NextRequest(url, { method, headers: { host: new URL(url).host, ...headers } });

describe('proxy', () => {
  it('answers API clients without the token 401 in the error envelope, and pages with a redirect to the login form', async () => {
    const api = answer(locked, request('POST', 'http://pixeldrive.example:3000/api/playground'));
    expect(api.status).toBe(401);
    expect(api.headers.get('www-authenticate')).toBe('Bearer');
    expect(await api.json()).toMatchObject({ error: 'UNAUTHORIZED' });
    const page = answer(locked, request('GET', 'http://pixeldrive.example:3000/playground?upload=x'));
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('http://pixeldrive.example:3000/login?next=%2Fplayground%3Fupload%3Dx');
  });

  it('passes a request that carries the token on to the app', () => {
    const ok = answer(locked, request('GET', 'http://pixeldrive.example:3000/api/runs', { authorization: `Bearer ${TOKEN}` }));
    expect(ok.headers.get('x-middleware-next')).toBe('1');
  });

  it('refuses a foreign Host and a cross-site POST with 403', async () => {
    const rebinding = answer(locked, request('GET', 'http://attacker.example:3000/', { authorization: `Bearer ${TOKEN}` }));
    expect(rebinding.status).toBe(403);
    expect(await rebinding.json()).toMatchObject({ error: 'FORBIDDEN' });
    const csrf = answer(locked, request('POST', 'http://pixeldrive.example:3000/api/playground', { origin: 'https://evil.example', cookie: 'x=1' }));
    expect(csrf.status).toBe(403);
  });
});

describe('POST /api/login', () => {
  const form = (fields: Record<string, string>) => {
    const body = new FormData();
    for (const [k, v] of Object.entries(fields)) body.set(k, v);
    return new Request('http://127.0.0.1:3000/api/login', { method: 'POST', body });
  };

  it('without a configured token goes straight on to a local path only', async () => {
    // The test process has no PIXELDRIVE_TOKEN: the open loopback server.
    const res = await login(form({ token: 'anything', next: '//evil.example/' }));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/');
    expect(res.headers.get('set-cookie')).toBeNull();
    expect(SESSION_COOKIE).toBe('pixeldrive_session');
  });

  describe('with PIXELDRIVE_TOKEN set', () => {
    afterEach(() => {
      vi.unstubAllEnvs();
      vi.resetModules();
    });
    const loginWithToken = async () => {
      vi.stubEnv('PIXELDRIVE_TOKEN', TOKEN);
      vi.resetModules(); // config.ts reads the environment once, at import
      return (await import('./app/api/login/route.ts')).POST;
    };

    it('sets an httpOnly session cookie for the right token and goes on', async () => {
      const res = await (await loginWithToken())(form({ token: TOKEN, next: '/runs' }));
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/runs');
      const cookie = res.headers.get('set-cookie') ?? '';
      expect(cookie).toContain(`${SESSION_COOKIE}=${sessionValue(TOKEN)};`);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).not.toContain(TOKEN);
    });

    it('sends a wrong token back to the form, setting nothing', async () => {
      const res = await (await loginWithToken())(form({ token: 'not-the-token-at-all', next: '/runs' }));
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/login?failed=1&next=%2Fruns');
      expect(res.headers.get('set-cookie')).toBeNull();
    });
  });
});

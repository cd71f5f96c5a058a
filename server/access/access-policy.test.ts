import { describe, expect, it } from 'vitest';
import { allowedHostsFor, bindingRefusal, checkRequest, localPath, SESSION_COOKIE, sessionValue, tokenMatches, type AccessPolicy } from './access-policy.ts';

const TOKEN = 'correct-horse-battery-staple';
const open: AccessPolicy = { token: null, allowedHosts: allowedHostsFor({ host: '127.0.0.1', extra: [] }) };
const locked: AccessPolicy = { token: TOKEN, allowedHosts: allowedHostsFor({ host: '0.0.0.0', extra: ['pixeldrive.example'] }) };

function req(method: string, pathname: string, headers: Record<string, string> = {}) {
  return { method, pathname, headers: new Headers({ host: 'pixeldrive.example:3000', ...headers }) };
}

describe('bindingRefusal', () => {
  it('refuses any address beyond loopback without a token, saying how to fix it', () => {
    for (const host of ['0.0.0.0', '::', '192.168.1.20', 'pixeldrive.example'])
      expect(bindingRefusal({ host, token: null })).toMatch(/PIXELDRIVE_TOKEN.*\/login.*Bearer/);
  });
  it('lets loopback start without a token and anything start with one', () => {
    for (const host of ['127.0.0.1', 'localhost', '::1', '127.0.0.2']) expect(bindingRefusal({ host, token: null })).toBeNull();
    expect(bindingRefusal({ host: '0.0.0.0', token: TOKEN })).toBeNull();
  });
});

describe('checkRequest', () => {
  it('refuses a Host this server does not answer to (DNS rebinding), even on loopback without a token', () => {
    const d = checkRequest(open, { method: 'GET', pathname: '/', headers: new Headers({ host: 'attacker.example:3000' }) });
    expect(d).toMatchObject({ ok: false, status: 403 });
    expect(checkRequest(open, { method: 'GET', pathname: '/', headers: new Headers({ host: '127.0.0.1:3000' }) }).ok).toBe(true);
    expect(checkRequest(open, { method: 'GET', pathname: '/', headers: new Headers({ host: '[::1]:3000' }) }).ok).toBe(true);
    expect(checkRequest(open, { method: 'GET', pathname: '/', headers: new Headers() })).toMatchObject({ ok: false, status: 403 });
  });

  it('refuses a state change posted from another site, with or without a token', () => {
    for (const policy of [open, locked]) {
      const host = policy === open ? 'localhost:3000' : 'pixeldrive.example:3000';
      const auth: Record<string, string> = policy === locked ? { authorization: `Bearer ${TOKEN}` } : {};
      expect(
        checkRequest(policy, { method: 'POST', pathname: '/api/playground', headers: new Headers({ host, origin: 'https://evil.example', ...auth }) }),
      ).toMatchObject({ ok: false, status: 403 });
      expect(checkRequest(policy, { method: 'POST', pathname: '/api/playground', headers: new Headers({ host, origin: 'null', ...auth }) })).toMatchObject({
        ok: false,
        status: 403,
      });
      expect(
        checkRequest(policy, { method: 'POST', pathname: '/api/playground', headers: new Headers({ host, 'sec-fetch-site': 'cross-site', ...auth }) }),
      ).toMatchObject({ ok: false, status: 403 });
      expect(checkRequest(policy, { method: 'POST', pathname: '/api/playground', headers: new Headers({ host, origin: `http://${host}`, ...auth }) }).ok).toBe(
        true,
      );
      // curl sends no Origin: allowed (it still needs the token where one is set).
      expect(checkRequest(policy, { method: 'POST', pathname: '/api/playground', headers: new Headers({ host, ...auth }) }).ok).toBe(true);
    }
  });

  it('with a token, lets nothing but the login page and static files through without it', () => {
    for (const [method, path] of [
      ['GET', '/'],
      ['GET', '/playground'],
      ['GET', '/api/playground/abc'],
      ['GET', '/api/runs'],
      ['POST', '/api/playground'],
      ['POST', '/runs'],
      ['DELETE', '/api/playground/abc'],
    ]) {
      const d = checkRequest(locked, req(method, path));
      expect(d, `${method} ${path}`).toMatchObject({ ok: false, status: 401 });
      expect(checkRequest(locked, req(method, path, { authorization: 'Bearer wrong-token-of-some-length' })), `${method} ${path}`).toMatchObject({
        ok: false,
        status: 401,
      });
      expect(
        checkRequest(locked, req(method, path, { cookie: `${SESSION_COOKIE}=${sessionValue('another-token-entirely')}` })),
        `${method} ${path}`,
      ).toMatchObject({ ok: false });
    }
    for (const path of ['/login', '/api/login', '/_next/static/chunks/app.js', '/icon.svg'])
      expect(checkRequest(locked, req(path === '/api/login' ? 'POST' : 'GET', path)).ok, path).toBe(true);
  });

  it('sends pages to the login form and API clients a 401', () => {
    expect(checkRequest(locked, req('GET', '/runs'))).toMatchObject({ toLogin: true });
    expect(checkRequest(locked, req('GET', '/api/runs'))).toMatchObject({ toLogin: false });
    expect(checkRequest(locked, req('POST', '/runs'))).toMatchObject({ toLogin: false });
  });

  it('accepts the token as a Bearer header or as the session cookie the login sets', () => {
    expect(checkRequest(locked, req('POST', '/api/playground', { authorization: `Bearer ${TOKEN}` })).ok).toBe(true);
    expect(checkRequest(locked, req('GET', '/playground', { cookie: `theme=dark; ${SESSION_COOKIE}=${sessionValue(TOKEN)}` })).ok).toBe(true);
    // The raw token is not a session value: a cookie must come from /login.
    expect(checkRequest(locked, req('GET', '/playground', { cookie: `${SESSION_COOKIE}=${TOKEN}` })).ok).toBe(false);
  });
});

describe('localPath', () => {
  it('keeps a path on this server and turns anything else into /', () => {
    expect(localPath('/runs?x=1')).toBe('/runs?x=1');
    for (const bad of ['//evil.example/', '/\\evil.example', 'https://evil.example/', 'runs', null, undefined]) expect(localPath(bad)).toBe('/');
  });

  it('refuses what a browser would strip or fold into another origin: control characters, backslashes', () => {
    // Browsers drop tab and newline from a Location, so "/<TAB>/evil.example" would become "//evil.example".
    for (const bad of ['/\t/evil.example/x', '/\n/evil.example', '/\r\n/evil.example', '/\u0000/evil.example', '/runs\\..\\x', '/\u007f/evil.example'])
      expect(localPath(bad), JSON.stringify(bad)).toBe('/');
    // Percent-encoded, the same characters stay in the path: still this server.
    expect(localPath('/%09/evil.example')).toBe('/%09/evil.example');
    expect(localPath('/classes/7?run=a#top')).toBe('/classes/7?run=a#top');
    expect(localPath('/a/../b')).toBe('/b');
  });
});

describe('tokenMatches', () => {
  it('accepts the token only, whatever the length of a wrong one', () => {
    const policy: AccessPolicy = { token: 'a-token-of-enough-length', allowedHosts: new Set(['localhost']) };
    expect(tokenMatches(policy, 'a-token-of-enough-length')).toBe(true);
    for (const wrong of ['', 'a', 'a-token-of-enough-lengtH', 'a-token-of-enough-length-and-more', 'x'.repeat(10_000)])
      expect(tokenMatches(policy, wrong)).toBe(false);
    expect(tokenMatches({ ...policy, token: null }, '')).toBe(false);
  });
});

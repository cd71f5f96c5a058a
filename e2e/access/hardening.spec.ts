import { expect, test } from '@playwright/test';
import { E2E_TOKEN } from '../helpers';

// A stranger, like token.spec.ts: no token unless a test sends one.
test.use({ extraHTTPHeaders: {} });

test('no page can be framed by another site, and pages load nothing from elsewhere', async ({ request }) => {
  for (const url of ['/login', '/api/runs']) {
    const headers = (await request.get(url, { headers: { authorization: `Bearer ${E2E_TOKEN}` } })).headers();
    expect(headers['x-frame-options'], url).toBe('DENY');
    expect(headers['content-security-policy'], url).toContain("frame-ancestors 'none'");
    expect(headers['content-security-policy'], url).toContain("default-src 'self'");
    expect(headers['x-content-type-options'], url).toBe('nosniff');
  }
});

test('a signed-in page renders under the policy without a single violation', async ({ page }) => {
  const violations: string[] = [];
  page.on('console', (m) => m.type() === 'error' && /Content.Security.Policy|Refused to/i.test(m.text()) && violations.push(m.text()));
  await page.setExtraHTTPHeaders({ authorization: `Bearer ${E2E_TOKEN}` });
  await page.goto('/');
  await expect(page.getByRole('heading').first()).toBeVisible();
  await page.goto('/playground');
  await expect(page.getByRole('heading').first()).toBeVisible();
  expect(violations).toEqual([]);
});

test('after sign-in, next goes to a path of this server only', async ({ request }) => {
  const signIn = (next: string) => request.post('/api/login', { form: { token: E2E_TOKEN, next }, maxRedirects: 0 });
  for (const next of ['/\t/evil.example/x', '//evil.example/', '/\\evil.example', 'https://evil.example/']) {
    const r = await signIn(next);
    expect(r.status(), JSON.stringify(next)).toBe(303);
    expect(r.headers().location, JSON.stringify(next)).toMatch(/^(http:\/\/127\.0\.0\.1:\d+)?\/$/);
  }
  expect((await signIn('/runs?x=1')).headers().location).toMatch(/^(http:\/\/127\.0\.0\.1:\d+)?\/runs\?x=1$/);
});

test('failed sign-ins are rate-limited per client, and the right token still works for another client', async ({ request }) => {
  const attempt = (token: string, client: string) =>
    request.post('/api/login', { form: { token, next: '/' }, headers: { 'x-forwarded-for': client }, maxRedirects: 0 });
  const client = `198.51.100.${Math.floor(Math.random() * 200) + 1}`;
  for (let i = 0; i < 10; i++) expect((await attempt('wrong-token-0123456789', client)).status()).toBe(303);
  const limited = await attempt(E2E_TOKEN, client);
  expect(limited.status()).toBe(429);
  expect(Number(limited.headers()['retry-after'])).toBeGreaterThan(0);
  const other = await attempt(E2E_TOKEN, '203.0.113.9');
  expect(other.status()).toBe(303);
  expect(other.headers()['set-cookie']).toContain('pixeldrive_session=');
});

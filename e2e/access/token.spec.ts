import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { E2E_TOKEN, shippedModels } from '../helpers';

// This file is the stranger: no token unless a test sends one itself.
test.use({ extraHTTPHeaders: {} });

const bearer = { authorization: `Bearer ${E2E_TOKEN}` };
const frame = path.resolve('data/carla-official/CameraRGB/val_1.png');

test('over HTTP nothing mutates, uploads or reads uploads without the token; with it the same calls work', async ({ request }) => {
  const file = { name: 'val_1.png', mimeType: 'image/png', buffer: await readFile(frame) };
  const denied = await request.post('/api/playground', { multipart: { file } });
  expect(denied.status()).toBe(401);
  expect(await denied.json()).toMatchObject({ error: 'UNAUTHORIZED' });
  expect((await request.get('/api/runs')).status()).toBe(401);
  // A server action is a POST to a page: refused before Next runs it.
  expect((await request.post('/runs', { headers: { 'next-action': 'x' }, data: 'x' })).status()).toBe(401);
  expect((await request.post('/api/playground', { multipart: { file }, headers: { authorization: 'Bearer wrong-token-0123456789' } })).status()).toBe(401);

  const created = await request.post('/api/playground', { multipart: { file }, headers: bearer });
  expect(created.status()).toBe(201);
  const { id, predictions } = (await created.json()) as { id: string; predictions: { id: string }[] };
  // One prediction per shipped model (the newest checkpoint of each network).
  expect(predictions).toHaveLength((await shippedModels()).length);
  expect((await request.get(`/api/playground/${id}`)).status()).toBe(401);
  expect((await request.get(`/api/playground/predictions/${predictions[0].id}`)).status()).toBe(401);
  expect((await request.get(`/api/playground/${id}`, { headers: bearer })).status()).toBe(200);
  const page = await request.get('/playground', { maxRedirects: 0 });
  expect(page.status()).toBe(303);
  // Next turns a same-origin redirect into a relative Location.
  expect(page.headers().location).toMatch(/^(http:\/\/127\.0\.0\.1:\d+)?\/login\?next=%2Fplayground$/);
});

test('uploads are checked by the routes themselves: refused without the token, and a 12 MB chunked upload is a 413 from the running server', async ({
  request,
  baseURL,
}) => {
  // The upload routes are outside the proxy (proxy.ts): the same policy must hold there.
  const model = { name: 'm.onnx', mimeType: 'application/octet-stream', buffer: Buffer.from('not onnx') };
  expect((await request.post('/api/models', { multipart: { file: model, adapter: '{}', name: 'x' } })).status()).toBe(401);
  expect(
    (
      await request.post('/api/models', { multipart: { file: model, adapter: '{}', name: 'x' }, headers: { ...bearer, origin: 'https://evil.example' } })
    ).status(),
  ).toBe(403);

  // No Content-Length: only the route's own count can stop it. Through a proxy Next would have
  // read all 12 MB, kept 10 and handed the route a truncated form (a 400).
  let sent = 0;
  const chunk = 64 * 1024;
  const head = new TextEncoder().encode('--x\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n');
  const body = new ReadableStream<Uint8Array>({
    start: (c) => c.enqueue(head),
    pull(c) {
      if (sent >= 12 * 1024 * 1024) return c.close();
      sent += chunk;
      c.enqueue(new Uint8Array(chunk));
    },
  });
  const res = await fetch(`${baseURL}/api/playground`, {
    method: 'POST',
    body,
    headers: { ...bearer, 'content-type': 'multipart/form-data; boundary=x' },
    duplex: 'half',
  } as RequestInit);
  expect(res.status).toBe(413);
  expect((await res.json()).message).toMatch(/limit is 10 MB/);
});

test('a cross-site POST and a foreign Host are refused even with the token', async ({ request }) => {
  const file = { name: 'val_1.png', mimeType: 'image/png', buffer: await readFile(frame) };
  const csrf = await request.post('/api/playground', { multipart: { file }, headers: { ...bearer, origin: 'https://evil.example' } });
  expect(csrf.status()).toBe(403);
  const rebinding = await request.get('/api/runs', { headers: { ...bearer, host: 'evil.example' } });
  expect(rebinding.status()).toBe(403);
});

test('the login page takes the token, sets an httpOnly cookie, and the playground then works', async ({ page, context }) => {
  await page.goto('/playground');
  await expect(page).toHaveURL(/\/login\?next=%2Fplayground/);
  await page.getByLabel('Access token').fill('not-the-right-token-at-all');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'not the one this server was started with' })).toBeVisible();
  await page.getByLabel('Access token').fill(E2E_TOKEN);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/playground$/);
  const [cookie] = (await context.cookies()).filter((c) => c.name === 'pixeldrive_session');
  expect(cookie.httpOnly).toBe(true);
  expect(cookie.value).not.toContain(E2E_TOKEN);
  // The cookie now opens pages on its own: a fresh load, as a returning visitor's, and the upload
  // through it. (Choosing the file on the page the sign-in redirect rendered was lost at times:
  // Segment stayed disabled, in CI and here, with the page otherwise working.)
  await page.goto('/playground');
  await expect(page.getByRole('heading', { name: 'Playground' })).toBeVisible();
  await page.getByLabel('Photo to segment').setInputFiles(frame);
  await page.getByRole('button', { name: 'Segment', exact: true }).click();
  await expect(page).toHaveURL(/upload=/);
  await expect(page.getByTestId('model-result')).toHaveCount((await shippedModels()).length);
});

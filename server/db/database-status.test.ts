import { describe, expect, it } from 'vitest';
import { anyFreePort } from '../startup/ports.ts';
import { databaseIsUp, databaseUnavailableResponse } from './database-status.ts';

describe('databaseIsUp', () => {
  it('says down at once when nothing listens, and up for the test database', async () => {
    const t0 = Date.now();
    expect(await databaseIsUp(`postgresql://nobody:x@127.0.0.1:${await anyFreePort()}/none`)).toBe(false);
    expect(Date.now() - t0).toBeLessThan(1000);
    expect(await databaseIsUp(process.env.DATABASE_URL)).toBe(true);
  });
});

describe('databaseUnavailableResponse', () => {
  it('answers a page with a short 503 page that reloads itself, and the API with its error envelope', async () => {
    const page = databaseUnavailableResponse('/runs');
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('2');
    const html = await page.text();
    expect(html).toContain('<meta http-equiv="refresh" content="2">');
    expect(html.length).toBeLessThan(1000);
    const api = databaseUnavailableResponse('/api/runs');
    expect(api.status).toBe(503);
    expect(await api.json()).toEqual({ error: 'DATABASE_UNAVAILABLE', message: 'The database is restarting; try again in a few seconds.' });
  });
});

import pg from 'pg';
import { perProcess } from '../per-process.ts';

/**
 * Whether the web server can reach its database, asked by the proxy before every page and API
 * request, at no cost while it is up: one idle connection is held open, and PostgreSQL ends it
 * the moment the server goes away (its backends exit when their postmaster dies), which marks
 * the database down at once. While down, each request tries one connection (refused at once
 * while nothing listens) until one succeeds.
 */
/** What a connection attempt fails with while the database is away or coming back. */
const DOWN = /ECONNREFUSED|ECONNRESET|57P0[123]|the database system is/;

const watch = perProcess('DbWatch', () => ({ client: null as pg.Client | null, probing: null as Promise<boolean> | null }));

export async function databaseIsUp(databaseUrl: string | undefined): Promise<boolean> {
  // No database configured: nothing to watch; whatever fails says so itself.
  if (!databaseUrl) return true;
  const w = watch;
  if (w.client) return true;
  w.probing ??= (async () => {
    const c = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
    c.on('error', () => {});
    try {
      await c.connect();
    } catch (e) {
      await c.end().catch(() => {});
      // Down only when the server says so (nothing listens, starting up, recovering): a slow
      // connection on a busy machine, or any other failure, lets the request through to fail on its own.
      return !DOWN.test(String((e as Error)?.message) + String((e as { code?: string })?.code));
    }
    c.once('end', () => {
      if (w.client === c) w.client = null;
    });
    w.client = c;
    return true;
  })().finally(() => {
    w.probing = null;
  });
  return w.probing;
}

const RETRY_AFTER_S = 2;

/** What a request gets while the database is away: a short page that reloads itself, or the API's error envelope. */
export function databaseUnavailableResponse(pathname: string): Response {
  const headers = { 'retry-after': String(RETRY_AFTER_S), 'cache-control': 'no-store' };
  const message = 'The database is restarting; try again in a few seconds.';
  if (pathname.startsWith('/api/')) return Response.json({ error: 'DATABASE_UNAVAILABLE', message }, { status: 503, headers });
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="${RETRY_AFTER_S}"><title>PixelDrive · restarting</title></head><body style="font-family:system-ui,sans-serif;margin:3rem"><h1>PixelDrive is restarting its database</h1><p>${message} This page reloads by itself.</p></body></html>`;
  return new Response(page, { status: 503, headers: { ...headers, 'content-type': 'text/html; charset=utf-8' } });
}

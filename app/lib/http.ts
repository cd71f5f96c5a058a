import { AppError, HTTP_STATUS } from '@/server/errors';

/** JSON error with the status the domain code implies; never a stack or raw message. */
export function errorResponse(e: unknown): Response {
  if (e instanceof AppError) return Response.json({ error: e.code, message: e.userMessage }, { status: HTTP_STATUS[e.code] });
  console.error(e);
  return Response.json({ error: 'INTERNAL', message: 'Something went wrong on the server.' }, { status: 500 });
}

export function widthParam(url: URL): number | undefined {
  const w = Number(url.searchParams.get('w'));
  return Number.isInteger(w) && w >= 32 && w <= 2048 ? w : undefined;
}

export function png(body: Buffer, type = 'image/png'): Response {
  return new Response(new Uint8Array(body), { headers: { 'content-type': type, 'cache-control': 'private, max-age=3600' } });
}

export function toCsv(rows: Record<string, unknown>[]): string {
  if (!rows.length) return '';
  const cols = Object.keys(rows[0]);
  const esc = (v: unknown) => {
    const s = v === null || v === undefined ? '' : String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [cols.join(','), ...rows.map((r) => cols.map((c) => esc(r[c])).join(','))].join('\n') + '\n';
}

import { z } from 'zod';
import { AppError, HTTP_STATUS, INTERNAL_USER_MESSAGE } from '@/server/errors';

/**
 * The API's one error envelope: `{ error: code, message }` with the status the domain code
 * implies; never a stack or raw message. A busy answer says when to retry.
 */
function errorResponse(e: unknown): Response {
  if (e instanceof AppError) {
    const headers = e.code === 'BUSY' ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : undefined;
    return Response.json({ error: e.code, message: e.userMessage }, { status: HTTP_STATUS[e.code], headers });
  }
  console.error(e);
  return Response.json({ error: 'INTERNAL', message: INTERNAL_USER_MESSAGE }, { status: 500 });
}

/** What a 503 asks the client to wait: about one playground upload's work. */
const RETRY_AFTER_SECONDS = 3;

const noInput = z.object({});

/**
 * Every API route: path params and query string parsed with zod inside the error boundary,
 * then one use case; whatever throws becomes the error envelope above. Query schemas use
 * `.catch()` for optional knobs (a bad `?w=` means "default", as it always has).
 */
export function apiRoute<P extends z.ZodType = typeof noInput, Q extends z.ZodType = typeof noInput>(
  schemas: { params?: P; query?: Q },
  handler: (input: { req: Request; params: z.infer<P>; query: z.infer<Q> }) => Promise<Response>,
): (req: Request, ctx?: { params: Promise<z.input<P>> }) => Promise<Response> {
  return async (req, ctx) => {
    try {
      // An omitted schema is P's / Q's default, the empty object.
      const params = parseInput(schemas.params ?? noInput, (await ctx?.params) ?? {}, 'path') as z.infer<P>;
      const query = parseInput(schemas.query ?? noInput, Object.fromEntries(new URL(req.url).searchParams), 'query') as z.infer<Q>;
      return await handler({ req, params, query });
    } catch (e) {
      return errorResponse(e);
    }
  };
}

function parseInput<S extends z.ZodType>(schema: S, input: unknown, where: string): z.infer<S> {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const fields = r.error.issues.map((i) => `${i.path.join('.') || where} ${i.message}`).join('; ');
  throw new AppError('INVALID_INPUT', `bad ${where}: ${fields}`, `Invalid request ${where}: ${fields}.`);
}

/**
 * The request body, counted while it streams: a chunked upload without Content-Length (or one
 * that lies about it) is cut off at `limit` bytes with `tooLarge`, never buffered whole first.
 */
export async function readBodyWithin(req: Request, limit: number, tooLarge: () => AppError): Promise<Uint8Array<ArrayBuffer>> {
  if (Number(req.headers.get('content-length') ?? 0) > limit) throw tooLarge();
  if (!req.body) return new Uint8Array(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

export const idParams = z.object({ id: z.string().min(1) });
/** `?w=` resizes an image response to at most this width; anything else means full size. */
export const widthQuery = z.coerce.number().int().min(32).max(2048).optional().catch(undefined);
/** `?format=csv` for a CSV download, else JSON. */
export const formatQuery = z.enum(['csv', 'json']).catch('json');

export function png(body: Buffer, type = 'image/png'): Response {
  return new Response(new Uint8Array(body), { headers: { 'content-type': type, 'cache-control': 'private, max-age=3600' } });
}

export function csvResponse(rows: Record<string, unknown>[], fileName: string): Response {
  return new Response(toCsv(rows), { headers: { 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${fileName}"` } });
}

export function toCsv(rows: Record<string, unknown>[]): string {
  if (!rows.length) return '';
  const cols = Object.keys(rows[0]);
  const esc = (v: unknown) => {
    let s = v === null || v === undefined ? '' : String(v);
    // A text cell a spreadsheet would read as a formula is kept as text. Numbers are written as
    // they are: a negative number is data, and a number cannot carry a formula.
    if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return [cols.join(','), ...rows.map((r) => cols.map((c) => esc(r[c])).join(','))].join('\n') + '\n';
}

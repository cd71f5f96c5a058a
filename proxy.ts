import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { accessPolicy, checkRequest, refusalResponse, type AccessPolicy } from '@/server/access/access-policy';
import { databaseUrl } from '@/server/config';
import { databaseIsUp, databaseUnavailableResponse } from '@/server/db/database-status';

/**
 * Every request passes the access policy before any page, action or API route runs: Host
 * allowlist, same-site check on state changes, and the token when one is configured. Then, while
 * the database is away (npm start restarts it after a crash), a 503 with a short page instead of
 * a page that fails half-way.
 *
 * Except the two upload endpoints, which apply the same policy themselves (refuseRequest): for
 * a request a proxy runs on, Next reads the WHOLE body off the socket before the route starts,
 * keeps up to 10 MB of it in memory and silently drops the rest. A 12 MB chunked upload then
 * reached the playground route truncated (a 400 about unreadable form data instead of a 413,
 * after the whole body had been received), and every ONNX model over 10 MB arrived cut short.
 * Without the proxy the routes read the stream themselves and stop at their own limits.
 */
export const config = { matcher: ['/((?!api/playground$|api/models$).*)'] };

export async function proxy(req: NextRequest): Promise<Response> {
  const res = answer(accessPolicy(), req);
  if (!passedOn(res) || req.nextUrl.pathname.startsWith('/_next/')) return res;
  return (await databaseIsUp(databaseUrl())) ? res : databaseUnavailableResponse(req.nextUrl.pathname);
}

/** Whether the proxy's answer lets the request through to the app (NextResponse.next()). */
function passedOn(res: Response): boolean {
  return res.headers.get('x-middleware-next') === '1';
}

/** The policy is a parameter so tests can hold both a locked and an open server side by side. */
export function answer(policy: AccessPolicy, req: NextRequest): Response {
  const d = checkRequest(policy, { method: req.method, pathname: req.nextUrl.pathname, headers: req.headers });
  if (d.ok) return NextResponse.next();
  if (d.toLogin) {
    // Next wants an absolute Location from a proxy; the Host it is built from has passed the allowlist.
    const login = req.nextUrl.clone();
    login.pathname = '/login';
    login.search = `?next=${encodeURIComponent(req.nextUrl.pathname + req.nextUrl.search)}`;
    return NextResponse.redirect(login, 303);
  }
  return refusalResponse(d);
}

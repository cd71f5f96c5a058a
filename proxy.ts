import type { NextRequest } from 'next/server';
import { NextResponse } from 'next/server';
import { accessPolicy, checkRequest, type AccessPolicy } from '@/server/access/access-policy';

/**
 * Every request passes the access policy before any page, action or API route runs: Host
 * allowlist, same-site check on state changes, and the token when one is configured.
 */
export function proxy(req: NextRequest): Response {
  return answer(accessPolicy(), req);
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
  return Response.json({ error: d.code, message: d.message }, { status: d.status, headers: d.status === 401 ? { 'www-authenticate': 'Bearer' } : undefined });
}

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import os from 'node:os';
import { config } from '../config.ts';

/**
 * Who may talk to the web server. Two independent guards:
 * - the Host header must name this machine (a DNS-rebinding page reaches 127.0.0.1 under its
 *   own name, so loopback binding alone does not keep other sites out);
 * - with a token configured (required when binding beyond loopback), every request but the
 *   login page and static assets carries it: an httpOnly cookie set by /login, or
 *   `Authorization: Bearer <token>` for scripts.
 * State-changing requests from another site's page are refused whatever they carry.
 */
export interface AccessPolicy {
  token: string | null;
  /** Lower-case host names without port; `*` would defeat the point, so it is not accepted. */
  allowedHosts: ReadonlySet<string>;
}

export type AccessDecision = { ok: true } | { ok: false; status: 401 | 403; code: 'UNAUTHORIZED' | 'FORBIDDEN'; message: string; toLogin: boolean };

export const SESSION_COOKIE = 'pixeldrive_session';
/** Reachable without the token: the login form, its POST, and files that hold nothing private. */
const PUBLIC_PATHS = [/^\/login\/?$/, /^\/api\/login\/?$/, /^\/_next\/static\//, /^\/icon\.svg$/, /^\/favicon\.ico$/];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

const isWildcard = (host: string) => ['0.0.0.0', '::', '[::]'].includes(host);

/**
 * Why this binding must not start, or null: anything beyond loopback without a token would let
 * whoever reaches the port start training, delete uploads and see other people's photos.
 */
export function bindingRefusal(opts: { host: string; token: string | null }): string | null {
  if (isLoopback(opts.host) || opts.token) return null;
  return (
    `HOST=${opts.host} makes PixelDrive reachable from other machines, so it needs an access token: ` +
    'set PIXELDRIVE_TOKEN to a secret of at least 16 characters (for example PIXELDRIVE_TOKEN=$(openssl rand -hex 24)) ' +
    'and sign in at /login with it (scripts send "Authorization: Bearer <token>"), or leave HOST unset to serve on 127.0.0.1 only'
  );
}

/** The names a browser may use for this server: loopback, the bound address, this machine's names and addresses when bound to all, plus PIXELDRIVE_ALLOWED_HOSTS. */
export function allowedHostsFor(opts: { host: string; extra: readonly string[] }): Set<string> {
  const hosts = new Set(LOOPBACK_NAMES);
  const add = (h: string) => hosts.add(h.toLowerCase().replace(/^\[|\]$/g, ''));
  if (isWildcard(opts.host)) {
    add(os.hostname());
    for (const addrs of Object.values(os.networkInterfaces())) for (const a of addrs ?? []) add(a.address);
  } else add(opts.host);
  for (const h of opts.extra) add(h);
  return hosts;
}

let cached: AccessPolicy | null = null;
export function accessPolicy(): AccessPolicy {
  cached ??= { token: config.accessToken, allowedHosts: allowedHostsFor({ host: config.webHost, extra: config.allowedHosts }) };
  return cached;
}

/** The cookie holds a value derived from the token, so the token itself never sits in a browser's cookie store. */
export function sessionValue(token: string): string {
  return createHmac('sha256', token).update('pixeldrive-session-v1').digest('hex');
}

/** Compared as HMACs under a key of this process: equal-length digests, so neither length nor content shows in the timing. */
const COMPARE_KEY = randomBytes(32);
function sameSecret(a: string, b: string): boolean {
  const digest = (s: string) => createHmac('sha256', COMPARE_KEY).update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

export function tokenMatches(policy: AccessPolicy, candidate: string): boolean {
  return policy.token !== null && sameSecret(candidate, policy.token);
}

function hostName(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']'));
  return h.replace(/:\d+$/, '');
}

function cookie(headers: Headers, name: string): string | null {
  for (const part of (headers.get('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

const deny = (status: 401 | 403, message: string, toLogin = false): AccessDecision => ({
  ok: false,
  status,
  code: status === 401 ? 'UNAUTHORIZED' : 'FORBIDDEN',
  message,
  toLogin,
});

export function checkRequest(policy: AccessPolicy, req: { method: string; pathname: string; headers: Headers }): AccessDecision {
  const host = req.headers.get('host');
  if (!host || !policy.allowedHosts.has(hostName(host))) {
    return deny(403, 'This server does not answer to that address; add it to PIXELDRIVE_ALLOWED_HOSTS if it is yours.');
  }
  const method = req.method.toUpperCase();
  if (!SAFE_METHODS.has(method)) {
    const origin = req.headers.get('origin');
    let crossSite = req.headers.get('sec-fetch-site') === 'cross-site';
    if (origin && origin !== 'null') {
      try {
        crossSite ||= new URL(origin).host.toLowerCase() !== host.trim().toLowerCase();
      } catch {
        crossSite = true;
      }
    } else if (origin === 'null') crossSite = true;
    if (crossSite) return deny(403, 'Requests from another site are refused.');
  }
  if (!policy.token || PUBLIC_PATHS.some((p) => p.test(req.pathname))) return { ok: true };
  const auth = req.headers.get('authorization') ?? '';
  const bearer = /^Bearer\s+(.+)$/i.exec(auth)?.[1]?.trim();
  if (bearer && tokenMatches(policy, bearer)) return { ok: true };
  const session = cookie(req.headers, SESSION_COOKIE);
  if (session && sameSecret(session, sessionValue(policy.token))) return { ok: true };
  const page = SAFE_METHODS.has(method) && !req.pathname.startsWith('/api/');
  return deny(401, 'Sign in first: open /login with the access token, or send "Authorization: Bearer <token>".', page);
}

/** A month: a token changed on the server ends every session at once anyway (the cookie derives from it). */
const SESSION_SECONDS = 30 * 24 * 3600;

/** `Set-Cookie` for a signed-in browser: httpOnly (no script reads it), SameSite=Lax (no cross-site POST carries it). */
export function sessionCookie(token: string, secure: boolean): string {
  return `${SESSION_COOKIE}=${sessionValue(token)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${SESSION_SECONDS}${secure ? '; Secure' : ''}`;
}

const OWN_ORIGIN = 'http://pixeldrive.invalid';
/**
 * Where to go after signing in: a path on this server only. Parsed against a fixed origin the
 * way a browser would read the Location, so `//other.site`, `/\\other.site`, a full URL, and
 * tricks that browsers strip first (tab, newline and other control characters, as in
 * `/<TAB>/other.site`) all land on `/`.
 */
export function localPath(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(next)) return '/';
  let url: URL;
  try {
    url = new URL(next, OWN_ORIGIN);
  } catch {
    return '/';
  }
  return url.origin === OWN_ORIGIN && !next.startsWith('//') ? url.pathname + url.search + url.hash : '/';
}

/** For the processes that serve HTTP: exits with the reason when this binding must not serve. */
export function exitIfUnprotectedBinding(): void {
  const refusal = bindingRefusal({ host: config.webHost, token: config.accessToken });
  if (!refusal) return;
  console.error(`[pixeldrive] ${refusal}`);
  process.exit(1);
}

/** The JSON answer to a refused request (the proxy's, and the upload routes' that check for themselves). */
export function refusalResponse(d: Extract<AccessDecision, { ok: false }>): Response {
  return Response.json({ error: d.code, message: d.message }, { status: d.status, headers: d.status === 401 ? { 'www-authenticate': 'Bearer' } : undefined });
}

/**
 * The same decision as the proxy's, for the upload routes the proxy does not run on (proxy.ts
 * says why): null when the request may go on, else the answer to send.
 */
export function refuseRequest(req: Request): Response | null {
  const url = new URL(req.url);
  // Over HTTP the Host header is always there (Next builds req.url from it); a Request made in
  // process (tests, scripts) has only the URL.
  const headers = req.headers.has('host') ? req.headers : new Headers([...req.headers, ['host', url.host]]);
  const d = checkRequest(accessPolicy(), { method: req.method, pathname: url.pathname, headers });
  return d.ok ? null : refusalResponse(d);
}

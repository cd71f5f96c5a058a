import { accessPolicy, localPath, sessionCookie, tokenMatches } from '@/server/access/access-policy';
import { apiRoute } from '@/app/lib/http';
import { clientOf, loginAttempts } from '@/server/access/login-attempts';

export const dynamic = 'force-dynamic';

const seeOther = (location: string, headers: Record<string, string> = {}) => new Response(null, { status: 303, headers: { location, ...headers } });

/** The login form's POST: the right token sets the session cookie and goes on; a wrong one goes back to the form. */
export const POST = apiRoute({}, async ({ req }) => {
  const form = await req.formData();
  const next = localPath(form.get('next'));
  const policy = accessPolicy();
  if (!policy.token) return seeOther(next);
  const client = clientOf(req.headers);
  const wait = loginAttempts.retryAfter(client);
  if (wait > 0)
    return new Response(`Too many failed sign-ins; try again in ${wait} s.\n`, {
      status: 429,
      headers: { 'retry-after': String(wait), 'content-type': 'text/plain; charset=utf-8' },
    });
  if (!tokenMatches(policy, String(form.get('token') ?? ''))) {
    loginAttempts.recordFailure(client);
    return seeOther(`/login?failed=1&next=${encodeURIComponent(next)}`);
  }
  const secure = req.headers.get('x-forwarded-proto') === 'https' || new URL(req.url).protocol === 'https:';
  return seeOther(next, { 'set-cookie': sessionCookie(policy.token, secure) });
});

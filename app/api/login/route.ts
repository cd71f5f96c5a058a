import { accessPolicy, localPath, sessionCookie, tokenMatches } from '@/server/access/access-policy';
import { apiRoute } from '@/app/lib/http';

export const dynamic = 'force-dynamic';

const seeOther = (location: string, headers: Record<string, string> = {}) => new Response(null, { status: 303, headers: { location, ...headers } });

/** The login form's POST: the right token sets the session cookie and goes on; a wrong one goes back to the form. */
export const POST = apiRoute({}, async ({ req }) => {
  const form = await req.formData();
  const next = localPath(form.get('next'));
  const policy = accessPolicy();
  if (!policy.token) return seeOther(next);
  if (!tokenMatches(policy, String(form.get('token') ?? ''))) return seeOther(`/login?failed=1&next=${encodeURIComponent(next)}`);
  const secure = req.headers.get('x-forwarded-proto') === 'https' || new URL(req.url).protocol === 'https:';
  return seeOther(next, { 'set-cookie': sessionCookie(policy.token, secure) });
});

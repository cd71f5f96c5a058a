import { accessPolicy, localPath } from '@/server/access/access-policy';

export const dynamic = 'force-dynamic';

export default async function LoginPage({ searchParams }: { searchParams: Promise<{ next?: string; failed?: string }> }) {
  const { next, failed } = await searchParams;
  const signInNeeded = accessPolicy().token !== null;
  return (
    <div className="mx-auto max-w-sm space-y-4">
      <h1 className="text-2xl font-bold">Sign in</h1>
      {signInNeeded ? (
        <form method="post" action="/api/login" className="card space-y-3">
          <input type="hidden" name="next" value={localPath(next)} />
          <label className="block text-sm">
            Access token
            <input
              type="password"
              name="token"
              required
              autoComplete="current-password"
              className="mt-1 block w-full rounded border border-slate-300 px-2 py-1"
            />
          </label>
          {failed && (
            <p role="alert" className="text-sm text-red-700">
              That token is not the one this server was started with.
            </p>
          )}
          <button type="submit" className="rounded bg-indigo-600 px-3 py-1 text-sm font-medium text-white">
            Sign in
          </button>
          <p className="text-xs text-slate-500">
            The token is the PIXELDRIVE_TOKEN the server was started with. Scripts send it as &quot;Authorization: Bearer &lt;token&gt;&quot;.
          </p>
        </form>
      ) : (
        <p className="text-sm text-slate-600">This server is only reachable from this machine and needs no sign-in.</p>
      )}
    </div>
  );
}

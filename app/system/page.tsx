import { listHealthChecks } from '@/server/health/request-health-check';
import { getSystemSummary } from '@/server/dashboard/get-system-summary';
import { HealthCheckButton } from './health-check-button';
import { AutoRefresh } from '../components/auto-refresh';

export const dynamic = 'force-dynamic';

export default async function SystemPage() {
  const [checks, summary] = await Promise.all([listHealthChecks(5), getSystemSummary()]);
  const pending = checks.some((c) => c.status !== 'completed');
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">System</h1>
      <section className="card" aria-labelledby="db-heading">
        <h2 id="db-heading" className="mb-2 font-semibold">
          Database
        </h2>
        <dl className="grid grid-cols-2 gap-2 text-sm sm:grid-cols-5">
          {Object.entries(summary).map(([k, v]) => (
            <div key={k}>
              <dt className="text-slate-500">{k}</dt>
              <dd className="text-lg font-semibold tabular-nums" data-testid={`count-${k}`}>
                {v}
              </dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="card space-y-3" aria-labelledby="worker-heading">
        <h2 id="worker-heading" className="font-semibold">
          Worker round trip
        </h2>
        <p className="text-sm text-slate-600">Enqueues a job on the PostgreSQL queue; a worker process completes it.</p>
        <HealthCheckButton />
        <ul className="text-sm" aria-label="Recent health checks">
          {checks.map((c) => (
            <li key={c.id} data-testid="health-check">
              {c.createdAt.toISOString().slice(11, 19)} · <span className={c.status === 'completed' ? 'text-green-700' : 'text-amber-700'}>{c.status}</span>
              {c.workerPid ? ` by worker pid ${c.workerPid}` : ''}
            </li>
          ))}
        </ul>
        {pending && <AutoRefresh intervalMs={700} />}
      </section>
    </div>
  );
}

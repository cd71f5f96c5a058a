import Link from 'next/link';
import { compareRuns } from '@/server/dashboard/compare-runs';
import { listRuns } from '@/server/dashboard/list-runs';
import { isAppError } from '@/server/errors';
import { ClassSwatch } from '../components/class-swatch';
import { EmptyState } from '../components/empty-state';
import { ci, fmtP, pts, signedPts } from '../lib/format';

export const dynamic = 'force-dynamic';

export default async function ComparePage({ searchParams }: { searchParams: Promise<{ a?: string; b?: string }> }) {
  const { a, b } = await searchParams;
  const { evaluations } = await listRuns({ limit: 200 });
  const done = evaluations.filter((r) => r.status === 'completed');
  let result: Awaited<ReturnType<typeof compareRuns>> | null = null;
  let error: string | null = null;
  if (a && b) {
    try {
      result = await compareRuns({ a, b });
    } catch (e) {
      if (!isAppError(e)) throw e;
      error = e.userMessage;
    }
  }
  const label = (r: (typeof done)[number]) =>
    `${r.checkpoint.name} · ${r.dataset.name}/${r.split} · ${r.finishedAt?.toISOString().slice(0, 16).replace('T', ' ')}`;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Compare two evaluation runs</h1>
      {done.length < 2 ? (
        <EmptyState title="Two completed runs are needed" action={{ href: '/runs', label: 'Go to Runs' }}>
          Evaluate at least two models (or one model twice) to compare them here.
        </EmptyState>
      ) : (
        <form method="get" className="card flex flex-wrap items-end gap-3 text-sm">
          {(['a', 'b'] as const).map((k) => (
            <label key={k} className="font-medium">
              Run {k.toUpperCase()}
              <select
                name={k}
                defaultValue={(k === 'a' ? a : b) ?? done[k === 'a' ? 0 : 1].id}
                className="mt-1 block max-w-md rounded-lg border border-slate-300 px-2 py-1.5"
              >
                {done.map((r) => (
                  <option key={r.id} value={r.id}>
                    {label(r)}
                  </option>
                ))}
              </select>
            </label>
          ))}
          <button className="btn">Compare</button>
        </form>
      )}
      {error && (
        <p role="alert" className="text-sm text-red-700">
          {error}
        </p>
      )}
      {result && (
        <section className="card overflow-x-auto" aria-labelledby="delta-h">
          <h2 id="delta-h" className="mb-2 font-semibold">
            <Link className="link" href={`/models/${result.a.checkpointId}`}>
              {result.a.checkpoint.name}
            </Link>{' '}
            vs{' '}
            <Link className="link" href={`/models/${result.b.checkpointId}`}>
              {result.b.checkpoint.name}
            </Link>
          </h2>
          <p className="mb-3 text-sm">
            mIoU {pts(result.a.miou)} vs {pts(result.b.miou)}
            {result.paired
              ? ` · paired difference ${signedPts(result.paired.difference.estimate)} points, 95% CI ${ci(result.paired.difference.low, result.paired.difference.high)}, ${fmtP(result.paired.pValue, result.paired.resamples)} over ${result.paired.images} shared images`
              : ' · different datasets: no paired test'}
            {result.paired && (
              <>
                {' · '}
                <Link className="link" href={`/compare/disagreement?a=${result.a.id}&b=${result.b.id}`}>
                  pixel disagreement
                </Link>
              </>
            )}
          </p>
          <table className="table-base" aria-label="Per-class IoU deltas">
            <thead>
              <tr>
                <th scope="col">Class</th>
                <th scope="col">A</th>
                <th scope="col">B</th>
                <th scope="col">A − B</th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r) => (
                <tr key={r.classId}>
                  <td>
                    <ClassSwatch classId={r.classId} />
                  </td>
                  <td>{pts(r.a)}</td>
                  <td>{pts(r.b)}</td>
                  <td className={r.delta === null ? '' : r.delta > 0 ? 'text-green-700' : r.delta < 0 ? 'text-red-700' : ''}>
                    {r.delta === null ? '—' : signedPts(r.delta)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}

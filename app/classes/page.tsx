import Link from 'next/link';
import { CLASSES } from '@/models/classes';
import { resolveSliceBoard } from '@/server/compare/resolve-slice-board';
import { ClassSwatch } from '../components/class-swatch';
import { DatasetTabs, parseTarget } from '../components/dataset-tabs';
import { EmptyState } from '../components/empty-state';
import { SliceForm } from '../components/slice-form';
import { SliceSummary } from '../components/slice-summary';
import { ci, pts } from '../lib/format';

export const dynamic = 'force-dynamic';

export default async function ClassesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  // The leaderboard's own slice resolution and scoring: a slice means the same images and numbers on both pages.
  const { target, filter, slice, sliceError, whole, sliced } = await resolveSliceBoard({ params, target: parseTarget(params) });
  const board = sliced ?? whole;
  const q = `dataset=${target.dataset}&split=${target.split}`;
  const pixels = board.dataset?.classPixels[target.split] ?? null;
  const total = pixels?.reduce((a, b) => a + b, 0) ?? 0;
  const share = pixels && total ? pixels.map((p) => p / total) : null;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Classes</h1>
      <DatasetTabs base="/classes" dataset={target.dataset} split={target.split} />
      {whole.rows.length > 0 && <SliceForm base="/classes" dataset={target.dataset} split={target.split} slice={slice} />}
      {sliceError && (
        <p role="alert" className="text-sm text-red-700">
          {sliceError}
        </p>
      )}
      {sliced && (
        <SliceSummary info={sliced.sliceInfo} filterName={filter?.name ?? null}>
          Each IoU and its 95% interval below is computed on this slice only (the pixel share stays the whole split&apos;s).{' '}
          <Link className="link" href={`/?${q}&${sliced.sliceInfo.query}`}>
            Leaderboard on this slice
          </Link>
        </SliceSummary>
      )}
      <p className="text-sm text-slate-600">
        Pixel share: labelled pixels of each class in this split after the ignore policy — the imbalance the class weights answer.
      </p>
      {sliced && sliced.rows.length === 0 ? (
        <EmptyState title="No image in this slice">No image of this split matches the slice; widen it or go back to the whole split.</EmptyState>
      ) : (
        <div className="card overflow-x-auto">
          <table className="table-base" aria-label={sliced ? `IoU per class and model on the slice ${sliced.sliceInfo.label}` : 'IoU per class and model'}>
            <thead>
              <tr>
                <th scope="col">Class</th>
                <th scope="col">
                  Pixel share ({target.split}
                  {sliced && ', whole split'})
                </th>
                {board.rows.map((r) => (
                  <th key={r.runId} scope="col">
                    {r.name} IoU
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {CLASSES.map((c) => (
                <tr key={c.id}>
                  <td>
                    <Link className="link" href={`/classes/${c.id}?${q}`}>
                      <ClassSwatch classId={c.id} />
                    </Link>
                  </td>
                  <td className="text-slate-600">{share ? `${(share[c.id] * 100).toFixed(2)}%` : '—'}</td>
                  {board.rows.map((r) => (
                    <td key={r.runId} data-testid="class-iou">
                      {pts(r.perClass[c.id].iou)} <span className="text-xs text-slate-500">{ci(r.perClass[c.id].low, r.perClass[c.id].high)}</span>
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          {board.rows.length === 0 && (
            <p className="mt-2 text-sm text-slate-600">
              No completed evaluation on this split yet — start one on{' '}
              <Link className="link" href="/runs">
                Runs
              </Link>
              .
            </p>
          )}
        </div>
      )}
    </div>
  );
}

import Link from 'next/link';
import { getLeaderboard } from '@/server/dashboard/get-leaderboard';
import { CLASSES } from '@/models/classes';
import { ClassSwatch } from '../components/class-swatch';
import { DatasetTabs, parseTarget } from '../components/dataset-tabs';
import { ci, pts } from '../lib/format';

export const dynamic = 'force-dynamic';

export default async function ClassesPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const target = parseTarget(await searchParams);
  const board = await getLeaderboard({ datasetName: target.dataset, split: target.split });
  const pixels = board.dataset?.classPixels[target.split] ?? null;
  const total = pixels?.reduce((a, b) => a + b, 0) ?? 0;
  const share = pixels && total ? pixels.map((p) => p / total) : null;
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold">Classes</h1>
      <DatasetTabs base="/classes" dataset={target.dataset} split={target.split} />
      <p className="text-sm text-slate-600">Pixel share: labelled pixels of each class in this split after the ignore policy — the imbalance the class weights answer.</p>
      <div className="card overflow-x-auto">
        <table className="table-base" aria-label="IoU per class and model">
          <thead>
            <tr>
              <th scope="col">Class</th>
              <th scope="col">Pixel share ({target.split})</th>
              {board.rows.map((r) => <th key={r.runId} scope="col">{r.name} IoU</th>)}
            </tr>
          </thead>
          <tbody>
            {CLASSES.map((c) => (
              <tr key={c.id}>
                <td><Link className="link" href={`/classes/${c.id}?dataset=${target.dataset}&split=${target.split}`}><ClassSwatch classId={c.id} /></Link></td>
                <td className="text-slate-600">{share ? `${(share[c.id] * 100).toFixed(2)}%` : '—'}</td>
                {board.rows.map((r) => (
                  <td key={r.runId}>
                    {pts(r.perClass[c.id].iou)} <span className="text-xs text-slate-500">{ci(r.perClass[c.id].low, r.perClass[c.id].high)}</span>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {board.rows.length === 0 && <p className="mt-2 text-sm text-slate-600">No completed evaluation on this split yet — start one on <Link className="link" href="/runs">Runs</Link>.</p>}
      </div>
    </div>
  );
}

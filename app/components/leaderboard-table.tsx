'use client';

import Link from 'next/link';
import { useMemo, useState } from 'react';
import type { LeaderboardRow } from '@/server/dashboard/get-leaderboard';
import { ci, fmtParams, fmtSeconds, pts, signedPts } from '../lib/format';

type LeaderboardTableRow = Omit<LeaderboardRow, 'perClass' | 'arch' | 'images' | 'finishedAt'>;

type Key = 'miou' | 'pixelAccuracy' | 'safetyError' | 'params' | 'gflops' | 'latencyMs' | 'trainingSeconds';
const COLUMNS: { key: Key; label: string; higherIsBetter: boolean }[] = [
  { key: 'miou', label: 'mIoU (95% CI)', higherIsBetter: true },
  { key: 'pixelAccuracy', label: 'Pixel acc.', higherIsBetter: true },
  { key: 'safetyError', label: 'Safety-weighted error (95% CI)', higherIsBetter: false },
  { key: 'params', label: 'Params', higherIsBetter: false },
  { key: 'gflops', label: 'GFLOP/img', higherIsBetter: false },
  { key: 'latencyMs', label: 'Latency', higherIsBetter: false },
  { key: 'trainingSeconds', label: 'Training', higherIsBetter: false },
];

/** Where a leaderboard row leads (the cost–accuracy chart's points lead to the same page). */
export function leaderboardRowHref(r: Pick<LeaderboardRow, 'checkpointId'>): string {
  return `/models/${r.checkpointId}`;
}

export function LeaderboardTable({ rows }: { rows: LeaderboardTableRow[] }) {
  const [sort, setSort] = useState<{ key: Key; desc: boolean }>({ key: 'miou', desc: true });
  const sorted = useMemo(() => [...rows].sort((a, b) => ((a[sort.key] ?? -Infinity) - (b[sort.key] ?? -Infinity)) * (sort.desc ? -1 : 1)), [rows, sort]);
  return (
    <div className="overflow-x-auto">
      <table className="table-base" aria-label="Architecture leaderboard">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Model</th>
            {COLUMNS.map((c) => (
              <th key={c.key} scope="col" aria-sort={sort.key === c.key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
                <button
                  type="button"
                  className="inline-flex items-center gap-1 hover:text-slate-900"
                  onClick={() => setSort((s) => ({ key: c.key, desc: s.key === c.key ? !s.desc : c.higherIsBetter }))}
                >
                  {c.label}
                  <span aria-hidden>{sort.key === c.key ? (sort.desc ? '▼' : '▲') : '↕'}</span>
                </button>
              </th>
            ))}
            <th scope="col">Backend</th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={r.runId} data-testid="leaderboard-row">
              <td>{r.rank}</td>
              <td>
                <Link className="link font-medium" href={leaderboardRowHref(r)}>
                  {r.name}
                </Link>
                {r.source !== 'trained' && (
                  <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-700" data-testid="model-source">
                    {r.source}
                    {r.fileBytes !== null && ` · ${(r.fileBytes / 1024 / 1024).toFixed(2)} MB`}
                  </span>
                )}
                {r.trainedHere && (
                  <>
                    <span className="ml-2 rounded bg-indigo-50 px-1.5 py-0.5 text-xs text-indigo-800" data-testid="model-source">
                      trained here
                    </span>
                    <div className="text-xs text-slate-500" data-testid="trained-here">
                      Recipe: {r.trainedHere.recipe ?? '—'}, {r.trainedHere.epochs} epoch{r.trainedHere.epochs === 1 ? '' : 's'}. Selection mIoU in training{' '}
                      {pts(r.trainedHere.selectionMiou)} (held-out training blocks at the network&apos;s input size); this row scores the same checkpoint on
                      this split at native resolution.
                    </div>
                  </>
                )}
                {r.parent?.vs && (
                  <div className="text-xs text-slate-500" data-testid="vs-parent">
                    {signedPts(r.parent.vs.difference.estimate, 2)} pts vs {r.parent.name} [{signedPts(r.parent.vs.difference.low, 2)},{' '}
                    {signedPts(r.parent.vs.difference.high, 2)}] (paired 95% CI)
                  </div>
                )}
              </td>
              <td>
                <span className="text-base font-semibold" data-testid="miou">
                  {pts(r.miou)}
                </span>{' '}
                <span className="text-xs text-slate-500" data-testid="miou-ci">
                  {ci(r.miouLow, r.miouHigh)}
                </span>
              </td>
              <td>{pts(r.pixelAccuracy)}</td>
              <td data-testid="safety-error">
                {r.safetyError === null ? (
                  '—'
                ) : (
                  <>
                    <span className="font-semibold">{r.safetyError.toFixed(3)}</span>{' '}
                    <span className="text-xs text-slate-500">
                      [{r.safetyLow?.toFixed(3) ?? '—'}, {r.safetyHigh?.toFixed(3) ?? '—'}]
                    </span>
                    {r.safetyDefaultCost === false && <span className="ml-1 text-xs text-amber-700">custom costs</span>}
                  </>
                )}
                <div>
                  <Link className="link text-xs" href={`/runs/${r.runId}/quality`}>
                    calibration, flicker…
                  </Link>
                </div>
              </td>
              <td>{fmtParams(r.params)}</td>
              <td>{r.gflops.toFixed(2)}</td>
              <td data-testid="latency">{r.latencyMs === null ? '—' : `${r.latencyMs.toFixed(1)} ms`}</td>
              <td>{fmtSeconds(r.trainingSeconds)}</td>
              <td className="text-xs text-slate-600">{r.backend ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

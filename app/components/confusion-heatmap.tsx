'use client';

import Link from 'next/link';
import { useState } from 'react';
import { CLASSES } from '@/models/classes';

/**
 * 13×13 confusion matrix; rows = truth, columns = prediction. Row-normalised by default. With
 * `cellHref`, every non-empty off-diagonal cell links to `${cellHref}&truth=r&pred=c` (its images).
 */
export function ConfusionHeatmap({ matrix, cellHref }: { matrix: number[][]; cellHref?: string }) {
  const [mode, setMode] = useState<'row' | 'counts'>('row');
  const rowSums = matrix.map((r) => r.reduce((a, b) => a + b, 0));
  const max = Math.max(...matrix.flat());
  return (
    <div>
      <fieldset className="mb-2 flex gap-4 text-sm">
        <legend className="sr-only">Confusion matrix values</legend>
        <label className="inline-flex items-center gap-1">
          <input type="radio" name="cm-mode" checked={mode === 'row'} onChange={() => setMode('row')} /> Row-normalised (recall)
        </label>
        <label className="inline-flex items-center gap-1">
          <input type="radio" name="cm-mode" checked={mode === 'counts'} onChange={() => setMode('counts')} /> Pixel counts
        </label>
      </fieldset>
      <div className="overflow-x-auto">
        <table className="border-collapse text-[11px] tabular-nums" aria-label="Confusion matrix, rows are ground truth, columns are predictions">
          <thead>
            <tr>
              <th scope="col" className="p-1 text-left text-slate-500">
                truth ↓ / pred →
              </th>
              {CLASSES.map((c) => (
                <th key={c.id} scope="col" className="h-24 w-9 p-0 align-bottom">
                  <div className="w-9 origin-bottom-left translate-x-4 -rotate-60 whitespace-nowrap text-left font-normal">{c.name}</div>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.map((row, r) => (
              <tr key={r}>
                <th scope="row" className="whitespace-nowrap p-1 text-left font-normal">
                  {CLASSES[r].name}
                </th>
                {row.map((v, c) => {
                  const frac = mode === 'row' ? (rowSums[r] ? v / rowSums[r] : 0) : max ? Math.sqrt(v / max) : 0;
                  const text =
                    mode === 'row'
                      ? rowSums[r]
                        ? (frac * 100).toFixed(0)
                        : ''
                      : v >= 1e6
                        ? `${(v / 1e6).toFixed(1)}M`
                        : v >= 1e3
                          ? `${(v / 1e3).toFixed(0)}k`
                          : String(v);
                  return (
                    <td
                      key={c}
                      title={`truth ${CLASSES[r].name}, predicted ${CLASSES[c].name}: ${v.toLocaleString('en-US')} px${rowSums[r] ? ` (${((v / rowSums[r]) * 100).toFixed(1)}% of the row)` : ''}`}
                      className="h-9 w-9 border border-white text-center"
                      style={{
                        background: `rgba(79, 70, 229, ${Math.max(0.04, frac)})`,
                        color: frac > 0.5 ? 'white' : '#0f172a',
                        outline: r === c ? '1px solid #0f172a' : undefined,
                      }}
                    >
                      {cellHref && r !== c && v > 0 ? (
                        <Link
                          href={`${cellHref}&truth=${r}&pred=${c}`}
                          className="flex h-full w-full items-center justify-center hover:ring-2 hover:ring-inset hover:ring-amber-400"
                          aria-label={`Images where ${CLASSES[r].name} is predicted as ${CLASSES[c].name}`}
                          style={{ color: 'inherit' }}
                        >
                          {text}
                        </Link>
                      ) : (
                        text
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

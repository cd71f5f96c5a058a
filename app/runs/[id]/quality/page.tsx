import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CLASSES } from '@/models/classes';
import { getRunQuality } from '@/server/dashboard/get-run-quality';
import { isAppError } from '@/server/errors';
import type { StoredInterval } from '@/server/schemas/common';
import { CoverageCurve, ReliabilityDiagram } from '../../../components/calibration-charts';
import { ClassSwatch } from '../../../components/class-swatch';
import { EmptyState } from '../../../components/empty-state';
import { ci, pts } from '../../../lib/format';
import { CostMatrixForm } from './cost-matrix-form';
import { FlickerStrips } from './flicker-strips';

export const dynamic = 'force-dynamic';

const withCi = (i: StoredInterval) => `${pts(i.estimate)} ${ci(i.low, i.high)}`;
const cost = (i: StoredInterval) => (i.estimate === null ? '—' : `${i.estimate.toFixed(3)} [${i.low?.toFixed(3) ?? '—'}, ${i.high?.toFixed(3) ?? '—'}]`);

export default async function RunQualityPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const q = await getRunQuality(id).catch((e) => {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    throw e;
  });
  const { run, summary, costMatrix } = q;
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-500">
          <Link className="link" href="/">
            Leaderboard
          </Link>{' '}
          /{' '}
          <Link className="link" href={`/models/${run.model.id}`}>
            {run.model.name}
          </Link>{' '}
          / beyond mIoU
        </p>
        <h1 className="text-2xl font-bold">{run.model.name}: what mIoU does not show</h1>
        <p className="text-sm text-slate-600">
          {run.dataset.name} · {run.split} · {run.images} frames · mIoU {pts(run.miou)} · run {run.id}
          {summary && ` · 95% intervals: bootstrap over ${summary.resamplingUnit}s`} ·{' '}
          <a className="link" href={`/api/runs/${run.id}/quality?format=csv`}>
            CSV
          </a>{' '}
          ·{' '}
          <a className="link" href={`/api/runs/${run.id}/quality`}>
            JSON
          </a>
        </p>
      </div>
      {!summary ? (
        <EmptyState title="No numbers yet">
          This run is {run.status}; its numbers appear when it completes (runs evaluated before these metrics existed have none: evaluate again).
        </EmptyState>
      ) : (
        <>
          <section className="card" aria-labelledby="safety-h">
            <h2 id="safety-h" className="font-semibold">
              Safety-weighted error
            </h2>
            <p className="text-sm text-slate-600">
              Mean cost per pixel, each mistake costed by the run&apos;s {summary.safety.defaultCostMatrix ? 'default' : 'custom'} cost matrix (truth ×
              prediction; a pedestrian read as road or unlabeled costs 10, a car 8, a road line 4, any other mistake 1) and each pixel weighted by its row (0 at
              the top of the frame, 2 at the bottom: lower rows are closer to the car). 0 = no mistake.
            </p>
            <p className="mt-2 text-lg" data-testid="quality-safety">
              <span className="font-semibold">{cost(summary.safety.error)}</span>{' '}
              <span className="text-sm text-slate-600">(without the row weighting: {summary.safety.unweightedError?.toFixed(3) ?? '—'})</span>
            </p>
            {costMatrix && (
              <details className="mt-2 text-xs">
                <summary className="cursor-pointer text-slate-600">Cost matrix of this run (edit and recompute)</summary>
                <pre className="mt-1 overflow-x-auto">
                  {costMatrix.map((row, t) => `${CLASSES[t].name.padEnd(13)} ${row.map((v) => String(v).padStart(3)).join('')}`).join('\n')}
                </pre>
                {run.status === 'completed' && <CostMatrixForm runId={run.id} costMatrix={costMatrix} />}
              </details>
            )}
          </section>

          <section className="card" aria-labelledby="cal-h">
            <h2 id="cal-h" className="font-semibold">
              Calibration
            </h2>
            {summary.calibration.available ? (
              <>
                <p className="text-sm text-slate-600">
                  Expected calibration error over every evaluated pixel ({summary.calibration.bins} equal bins of confidence = the softmax probability of the
                  emitted class):{' '}
                  <span className="font-semibold" data-testid="quality-ece">
                    {withCi(summary.calibration.ece)}
                  </span>{' '}
                  points.
                </p>
                <div className="grid gap-4 md:grid-cols-2">
                  <div>
                    <h3 className="text-sm font-medium">Reliability diagram</h3>
                    <ReliabilityDiagram bins={summary.calibration.reliability} />
                  </div>
                  <div>
                    <h3 className="text-sm font-medium">mIoU – coverage (abstain below a confidence threshold)</h3>
                    <CoverageCurve points={summary.calibration.coverage} />
                  </div>
                </div>
              </>
            ) : (
              <p className="text-sm text-slate-600" data-testid="quality-calibration-absent">
                Not available: {summary.calibration.reason}.
              </p>
            )}
          </section>

          <section className="card" aria-labelledby="tmp-h">
            <h2 id="tmp-h" className="font-semibold">
              Temporal stability
            </h2>
            {summary.temporal.available ? (
              <>
                <p className="text-sm text-slate-600">
                  Over {summary.temporal.pairs} pairs of consecutive frames (frame numbers n and n+1 of one recording; the capture interval is not recorded):
                  the model changes its label on{' '}
                  <span className="font-semibold" data-testid="quality-flicker">
                    {withCi(summary.temporal.flicker)} %
                  </span>{' '}
                  of the pixels whose ground truth stays the same; the ground truth itself changes on {pts(summary.temporal.gtChange.estimate)} % of pixels.
                </p>
                {summary.temporal.segments ? (
                  <FlickerStrips runId={run.id} segments={summary.temporal.segments} />
                ) : (
                  <>
                    <h3 className="mt-3 text-sm font-medium">Worst flickering frame pairs</h3>
                    <ul className="mt-1 flex flex-wrap gap-3" aria-label="Worst flickering frame pairs">
                      {summary.temporal.worst.map((w) => (
                        <li key={w.imageIdA} className="rounded border border-slate-200 p-2 text-xs">
                          <div className="flex gap-1">
                            {[
                              { id: w.imageIdA, key: w.keyA },
                              { id: w.imageIdB, key: w.keyB },
                            ].map((f) => (
                              <Link key={f.id} href={`/images/${f.id}`} className="link">
                                {/* eslint-disable-next-line @next/next/no-img-element -- a thumbnail our image API already sizes */}
                                <img src={`/api/images/${f.id}?w=160`} alt={`frame ${f.key}`} width={160} height={120} />
                                {f.key}
                              </Link>
                            ))}
                          </div>
                          flicker {pts(w.flicker)} % · truth changes {pts(w.gtChange)} %
                        </li>
                      ))}
                    </ul>
                    <p className="text-xs text-slate-600">
                      This run was finalised before flickering segments were stored: evaluate again to see them as frame strips.
                    </p>
                  </>
                )}
              </>
            ) : (
              <p className="text-sm text-slate-600">Not available: {summary.temporal.reason}.</p>
            )}
          </section>

          <section className="card" aria-labelledby="bnd-h">
            <h2 id="bnd-h" className="font-semibold">
              Boundary IoU
            </h2>
            <p className="text-sm text-slate-600" data-testid="quality-boundary">
              {summary.boundary.available
                ? `IoU of the bands within ${summary.boundary.bandPx} px (2% of the frame diagonal) of each region's contour, truth against prediction: mean ${withCi(summary.boundary.mean)}.`
                : `Not available: ${summary.boundary.reason}.`}
            </p>
          </section>

          <section className="card overflow-x-auto" aria-labelledby="cls-h">
            <h2 id="cls-h" className="mb-2 font-semibold">
              Per class
            </h2>
            <table className="table-base" aria-label="Per-class calibration, flicker and boundary IoU">
              <thead>
                <tr>
                  <th scope="col">Class</th>
                  <th scope="col">ECE (pixels predicted as it)</th>
                  <th scope="col">Flicker where truth stays</th>
                  <th scope="col">Truth change rate</th>
                  <th scope="col">Boundary IoU</th>
                </tr>
              </thead>
              <tbody>
                {CLASSES.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <ClassSwatch classId={c.id} />
                    </td>
                    <td>{summary.calibration.available ? withCi(summary.calibration.perClass[c.id]) : '—'}</td>
                    <td>{summary.temporal.available ? withCi(summary.temporal.perClass[c.id].flicker) : '—'}</td>
                    <td>{summary.temporal.available ? pts(summary.temporal.perClass[c.id].gtChange) : '—'}</td>
                    <td>{summary.boundary.available ? withCi(summary.boundary.perClass[c.id]) : '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>

          <section className="card overflow-x-auto" aria-labelledby="small-h">
            <h2 id="small-h" className="mb-2 font-semibold">
              Small-object recall
            </h2>
            <p className="text-sm text-slate-600">
              Objects = 4-connected regions of a class in the ground truth; found = at least half of its pixels predicted as its class. Recall (objects) per
              size.
            </p>
            <table className="table-base" aria-label="Small-object recall by size">
              <thead>
                <tr>
                  <th scope="col">Class</th>
                  {summary.smallObjects.buckets.map((b) => (
                    <th key={b} scope="col">
                      {b}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {summary.smallObjects.classes.map((k, i) => (
                  <tr key={k}>
                    <td>
                      <ClassSwatch classId={k} />
                    </td>
                    {summary.smallObjects.recall[i].map((r, b) => (
                      <td key={b}>{r.objects ? `${pts(r.estimate)} ${ci(r.low, r.high)} (${r.found}/${r.objects})` : '—'}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </div>
  );
}

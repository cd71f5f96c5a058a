import Link from 'next/link';
import { resolveSliceBoard } from '@/server/compare/resolve-slice-board';
import { listSavedFilters, savedFilterHref } from '@/server/compare/saved-filters';
import { ClassIouChart } from './components/class-iou-chart';
import { CostAccuracyChart } from './components/cost-accuracy-chart';
import { MetricConventions } from './components/conventions';
import { DatasetTabs, parseTarget } from './components/dataset-tabs';
import { EmptyState } from './components/empty-state';
import { LeaderboardTable } from './components/leaderboard-table';
import { SaveFilterForm, SavedFilterList } from './components/saved-filters';
import { SliceForm } from './components/slice-form';
import { SliceSummary } from './components/slice-summary';
import { AutoRefresh } from './components/auto-refresh';
import { ci, fmtP, signedPts } from './lib/format';
import type { Leaderboard } from '@/server/dashboard/get-leaderboard';

export const dynamic = 'force-dynamic';

export default async function LeaderboardPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const [{ target, filter, slice, sliceError, whole, sliced }, savedFilters] = await Promise.all([
    resolveSliceBoard({ params, target: parseTarget(params) }),
    listSavedFilters(),
  ]);
  const board = sliced ?? whole;
  const q = `dataset=${target.dataset}&split=${target.split}`;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-bold">Architecture leaderboard</h1>
          <p className="text-sm text-slate-600">One honest number per model: dataset-level mIoU on 13 CARLA classes, with its 95% interval.</p>
        </div>
        <div className="flex gap-2 text-sm">
          <a className="btn-secondary" href={`/api/export/leaderboard?${q}&format=csv`}>
            Export CSV
          </a>
          <a className="btn-secondary" href={`/api/export/leaderboard?${q}&format=json`}>
            Export JSON
          </a>
        </div>
      </div>
      <DatasetTabs base="/" dataset={target.dataset} split={target.split} />
      {whole.rows.length > 0 && <SliceForm base="/" dataset={target.dataset} split={target.split} slice={slice} />}
      {(whole.rows.length > 0 || savedFilters.length > 0) && (
        <section className="card space-y-3" aria-labelledby="filters-h">
          <h2 id="filters-h" className="text-sm font-semibold">
            Saved filters
          </h2>
          <SavedFilterList
            filters={savedFilters.map((f) => ({ id: f.id, name: f.name, label: `${f.dataset} · ${f.split} · ${f.label}`, href: savedFilterHref(f) }))}
            activeId={filter?.id ?? null}
          />
          {sliced && !filter && <SaveFilterForm dataset={target.dataset} split={target.split} slice={slice} />}
        </section>
      )}
      {sliceError && (
        <p role="alert" className="text-sm text-red-700">
          {sliceError}
        </p>
      )}
      {sliced && (
        <SliceSummary info={sliced.sliceInfo} filterName={filter?.name ?? null}>
          Every number below (mIoU, intervals, paired tests, per class) is computed on this slice only.
        </SliceSummary>
      )}
      {board.pending > 0 && (
        <p role="status" className="rounded-lg bg-amber-50 px-3 py-2 text-sm text-amber-900">
          {board.pending} evaluation run(s) on this split are in progress —{' '}
          <Link className="link" href="/runs">
            watch them on Runs
          </Link>
          . This page updates when they finish.
          <AutoRefresh intervalMs={3000} />
        </p>
      )}
      {sliced && sliced.rows.length === 0 ? (
        <EmptyState title="No image in this slice">No image of this split matches the slice; widen it or go back to the whole split.</EmptyState>
      ) : board.rows.length === 0 ? (
        <EmptyState title="No completed evaluation on this split yet" action={{ href: '/runs', label: 'Start an evaluation' }}>
          {board.dataset
            ? 'Evaluate one model or all of them from the Runs page; results appear here when a run completes.'
            : `The dataset “${target.dataset}” is not registered.`}
        </EmptyState>
      ) : (
        <>
          <section className="card" aria-labelledby="lb-h">
            <h2 id="lb-h" className="sr-only">
              Ranking
            </h2>
            <LeaderboardTable rows={board.rows} />
            <p className="mt-2 text-xs text-slate-500">
              {board.rows[0].images} images per model · latency is the mean per image on the backend shown · training = wall time of the shipped run.
            </p>
          </section>
          {board.comparisons.length > 0 && (
            <section className="card" aria-labelledby="cmp-h">
              <h2 id="cmp-h" className="mb-2 font-semibold">
                Is the difference real? (paired bootstrap)
              </h2>
              <PairedList pairs={board.comparisons} testId="comparisons" />
            </section>
          )}
          {board.pretraining.length > 0 && (
            <section className="card" aria-labelledby="pretraining-h">
              <h2 id="pretraining-h" className="mb-2 font-semibold">
                What pretraining buys (paired bootstrap)
              </h2>
              <p className="mb-2 text-xs text-slate-500">
                Each network on a pretrained encoder against the same network, recipe and budget from random initialisation.
              </p>
              <PairedList pairs={board.pretraining} testId="pretraining" />
            </section>
          )}
          <section className="card" aria-labelledby="cost-h">
            <h2 id="cost-h" className="mb-2 font-semibold">
              Accuracy against cost
            </h2>
            <CostAccuracyChart
              rows={board.rows.map((r) => ({
                runId: r.runId,
                checkpointId: r.checkpointId,
                name: r.name,
                source: r.source,
                tta: r.tta,
                miou: r.miou,
                miouLow: r.miouLow,
                miouHigh: r.miouHigh,
                latencyMs: r.latencyMs,
                params: r.params,
                fileBytes: r.fileBytes,
                backend: r.backend,
              }))}
            />
          </section>
          <section className="card" aria-labelledby="chart-h">
            <div className="mb-2 flex items-baseline justify-between gap-3">
              <h2 id="chart-h" className="font-semibold">
                Per-class IoU
              </h2>
              <Link className="link text-sm" href={`/classes?${q}${sliced ? `&${sliced.sliceInfo.query}` : ''}`}>
                {sliced ? 'Per-class IoU with intervals on this slice' : 'Per-class IoU with intervals'}
              </Link>
            </div>
            <ClassIouChart models={board.rows.map((r) => ({ name: r.name, perClass: r.perClass }))} />
          </section>
        </>
      )}
      <MetricConventions bootstrapUnit={board.bootstrapUnit} ignorePolicy={board.dataset?.ignorePolicy} />
    </div>
  );
}

/** Paired differences in words, each with links to look closer. */
function PairedList({ pairs, testId }: { pairs: Leaderboard['comparisons']; testId: string }) {
  return (
    <ul className="space-y-1 text-sm" data-testid={testId}>
      {pairs.map((c) => (
        <li key={c.a + c.b}>
          <strong>
            {c.aName} − {c.bName}
          </strong>
          : {signedPts(c.result.difference.estimate)} points, 95% CI {ci(c.result.difference.low, c.result.difference.high)},{' '}
          {fmtP(c.result.pValue, c.result.resamples)}
          {c.result.difference.low > 0 || c.result.difference.high < 0
            ? ' — a real difference at this sample size.'
            : ' — not distinguishable at this sample size.'}{' '}
          <Link className="link text-xs" href={`/compare?a=${c.a}&b=${c.b}`}>
            compare per class
          </Link>
          {' · '}
          <Link className="link text-xs" href={`/compare/disagreement?a=${c.a}&b=${c.b}`}>
            pixel disagreement
          </Link>
        </li>
      ))}
    </ul>
  );
}

import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getClassPage } from '@/server/dashboard/get-class-page';
import { isAppError } from '@/server/errors';
import { ClassSwatch } from '../../components/class-swatch';
import { DatasetTabs, parseTarget } from '../../components/dataset-tabs';
import { EmptyState } from '../../components/empty-state';
import { ci, fmtInt, pts } from '../../lib/format';

export const dynamic = 'force-dynamic';

export default async function ClassPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const classId = Number((await params).id);
  const target = parseTarget(await searchParams);
  const page = await getClassPage({ classId, datasetName: target.dataset, split: target.split }).catch((e) => {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    throw e;
  });
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm text-slate-500">
          <Link className="link" href="/classes">
            Classes
          </Link>{' '}
          / {page.cls.name}
        </p>
        <h1 className="flex items-center gap-2 text-2xl font-bold">
          <ClassSwatch classId={classId} withName={false} /> {page.cls.name}
        </h1>
      </div>
      <DatasetTabs base={`/classes/${classId}`} dataset={target.dataset} split={target.split} />
      {page.models.length === 0 ? (
        <EmptyState title="No completed evaluation on this split" action={{ href: '/runs', label: 'Start an evaluation' }}>
          Per-model numbers for this class appear here once an evaluation completes.
        </EmptyState>
      ) : (
        <>
          <section className="card overflow-x-auto" aria-labelledby="iou-h">
            <h2 id="iou-h" className="mb-2 font-semibold">
              IoU in every model
            </h2>
            <table className="table-base" aria-label={`${page.cls.name} IoU per model`}>
              <thead>
                <tr>
                  <th scope="col">Model</th>
                  <th scope="col">IoU</th>
                  <th scope="col">95% CI</th>
                  <th scope="col">Precision</th>
                  <th scope="col">Recall</th>
                  <th scope="col">Support (px)</th>
                </tr>
              </thead>
              <tbody>
                {page.models.map((m) => (
                  <tr key={m.runId} data-testid="class-model-row">
                    <td>
                      <Link className="link" href={`/models/${m.checkpointId}`}>
                        {m.name}
                      </Link>
                    </td>
                    <td className="font-semibold">{pts(m.iou)}</td>
                    <td className="text-xs text-slate-500">{ci(m.low, m.high)}</td>
                    <td>{pts(m.precision)}</td>
                    <td>{pts(m.recall)}</td>
                    <td>{fmtInt(m.support)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {page.models.every((m) => m.support === 0) && (
              <p className="mt-2 text-sm text-slate-600">
                This class does not occur in the ground truth of this split, so its IoU is undefined (—) unless a model predicts it.
              </p>
            )}
          </section>
          <section className="grid gap-4 md:grid-cols-2" aria-label="Confusions">
            {page.models.map((m) => (
              <div key={m.runId} className="card text-sm">
                <h2 className="mb-2 font-semibold">{m.name}: confused with</h2>
                <p className="font-medium text-slate-700">Truth {page.cls.name}, predicted as…</p>
                <ConfusionList items={m.truthPredictedAs} />
                <p className="mt-2 font-medium text-slate-700">Predicted {page.cls.name}, truth was…</p>
                <ConfusionList items={m.predictedFromTruth} />
              </div>
            ))}
          </section>
          <section className="card" aria-labelledby="worst-h">
            <h2 id="worst-h" className="mb-1 font-semibold">
              Where {page.cls.name} fares worst
            </h2>
            <p className="mb-2 text-xs text-slate-500">
              Per-image IoU of {page.cls.name}; overlay: its correct pixels green, its false positives and misses red.
            </p>
            <div className="space-y-4">
              {page.models.map((m) => (
                <div key={m.runId}>
                  <h3 className="mb-1 text-sm font-medium">{m.name}</h3>
                  {m.worstImages.length === 0 ? (
                    <p className="text-sm text-slate-500">No image of this split contains {page.cls.name}.</p>
                  ) : (
                    <ul className="grid grid-cols-2 gap-2 sm:grid-cols-3 lg:grid-cols-6">
                      {m.worstImages.map((w) => (
                        <li key={w.predictionId}>
                          <Link
                            href={`/images/${w.imageId}`}
                            className="block rounded-lg border border-slate-200 p-1 hover:border-indigo-400"
                            aria-label={`Image ${w.key}, ${page.cls.name} IoU ${pts(w.iou)}`}
                          >
                            <span className="relative block aspect-[4/3] overflow-hidden rounded">
                              {/* eslint-disable-next-line @next/next/no-img-element */}
                              <img src={`/api/images/${w.imageId}?w=240`} alt="" className="absolute inset-0 h-full w-full object-cover" loading="lazy" />
                              {/* eslint-disable-next-line @next/next/no-img-element */}
                              <img
                                src={`/api/predictions/${w.predictionId}?mode=errors&class=${classId}&w=240`}
                                alt=""
                                className="absolute inset-0 h-full w-full object-cover opacity-70"
                                loading="lazy"
                              />
                            </span>
                            <span className="mt-1 block text-xs">
                              {w.key} · IoU {pts(w.iou)}
                            </span>
                          </Link>
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              ))}
            </div>
          </section>
        </>
      )}
    </div>
  );
}

function ConfusionList({ items }: { items: { classId: number; share: number; pixels: number }[] }) {
  if (!items.length) return <p className="text-slate-500">nothing</p>;
  return (
    <ul className="space-y-0.5">
      {items.map((c) => (
        <li key={c.classId} className="flex justify-between gap-2">
          <Link className="link" href={`/classes/${c.classId}`}>
            <ClassSwatch classId={c.classId} />
          </Link>
          <span className="tabular-nums">
            {(c.share * 100).toFixed(1)}% · {fmtInt(c.pixels)} px
          </span>
        </li>
      ))}
    </ul>
  );
}

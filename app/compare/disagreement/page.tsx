import Link from 'next/link';
import { ClassOptions } from '../../components/class-options';
import { getDisagreement, type RankedImage } from '@/server/compare/get-disagreement';
import { isAppError } from '@/server/errors';
import { DISAGREEMENT_KINDS } from '@/server/metrics/disagreement';
import { ci, fmtInt, fmtP, pts, signedPts } from '../../lib/format';
import { WipeSlider } from './wipe-slider';

export const dynamic = 'force-dynamic';

type Search = { a?: string; b?: string; image?: string; class?: string };

/** The page's own URL with some parameters changed: every view of it is a link. */
function href(q: Search, change: Partial<Search>): string {
  const next = { ...q, ...change };
  const p = new URLSearchParams();
  for (const k of ['a', 'b', 'class', 'image'] as const) if (next[k]) p.set(k, next[k]!);
  return `/compare/disagreement?${p}`;
}

export default async function DisagreementPage({ searchParams }: { searchParams: Promise<Search> }) {
  const q = await searchParams;
  if (!q.a || !q.b) {
    return (
      <div className="space-y-3">
        <h1 className="text-2xl font-bold">Pixel disagreement</h1>
        <p className="text-sm">
          Pick two runs on{' '}
          <Link className="link" href="/compare">
            Compare
          </Link>{' '}
          or follow a paired comparison from the{' '}
          <Link className="link" href="/">
            leaderboard
          </Link>
          .
        </p>
      </div>
    );
  }
  const classId = q.class ? Number(q.class) : undefined;
  let d: Awaited<ReturnType<typeof getDisagreement>>;
  try {
    d = await getDisagreement({ a: q.a, b: q.b, imageId: q.image, classId });
  } catch (e) {
    if (!isAppError(e)) throw e;
    return (
      <div className="space-y-3">
        <h1 className="text-2xl font-bold">Pixel disagreement</h1>
        <p role="alert" className="text-sm text-red-700">
          {e.userMessage}
        </p>
        <Link className="link text-sm" href="/compare">
          Choose other runs
        </Link>
      </div>
    );
  }
  const { selected } = d;
  const metric = d.className ? `${d.className} IoU` : 'per-image mIoU';
  const list = (title: string, rows: RankedImage[], testId: string) => (
    <section className="card" aria-label={title}>
      <h2 className="mb-2 font-semibold">{title}</h2>
      {rows.length === 0 ? (
        <p className="text-sm text-slate-500">No image.</p>
      ) : (
        <ol className="space-y-1 text-sm" data-testid={testId}>
          {rows.map((r) => (
            <li key={r.imageId}>
              <Link
                className={`link ${r.imageId === selected.image.id ? 'font-semibold' : ''}`}
                href={href(q, { image: r.imageId })}
                aria-label={`Image ${r.key}: A ${pts(r.a)}, B ${pts(r.b)}, difference ${signedPts(r.delta)}`}
              >
                {r.key}
              </Link>{' '}
              <span className="tabular-nums text-slate-600">
                A {pts(r.a)} · B {pts(r.b)} · Δ {signedPts(r.delta)}
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
  const mapSrc = `/api/compare/disagreement?a=${d.a.id}&b=${d.b.id}&image=${selected.image.id}${classId === undefined ? '' : `&class=${classId}`}`;
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-500">
        <Link className="link" href="/">
          Leaderboard
        </Link>{' '}
        /{' '}
        <Link className="link" href={`/compare?a=${d.a.id}&b=${d.b.id}`}>
          Compare
        </Link>{' '}
        / pixel disagreement
      </p>
      <h1 className="text-2xl font-bold">
        A: {d.a.checkpoint.name} vs B: {d.b.checkpoint.name}
      </h1>
      <p className="text-sm text-slate-600">
        {d.a.dataset.name}/{d.a.split} · mIoU {pts(d.a.miou)} vs {pts(d.b.miou)}
        {d.paired &&
          ` · paired difference ${signedPts(d.paired.difference.estimate)} points, 95% CI ${ci(d.paired.difference.low, d.paired.difference.high)}, ${fmtP(d.paired.pValue, d.paired.resamples)}`}{' '}
        · {d.sharedImages} shared images
      </p>
      <form method="get" className="flex flex-wrap items-end gap-2 text-sm">
        <input type="hidden" name="a" value={d.a.id} />
        <input type="hidden" name="b" value={d.b.id} />
        <label className="font-medium">
          Rank and draw by
          <select name="class" defaultValue={classId ?? ''} className="ml-2 rounded-lg border border-slate-300 px-2 py-1">
            <option value="">all classes (per-image mIoU)</option>
            <ClassOptions />
          </select>
        </label>
        <button className="btn-secondary">Show</button>
      </form>
      <div className="grid gap-4 lg:grid-cols-[18rem_1fr]">
        <div className="space-y-4">
          {list(`Where A does better (${metric})`, d.aBetter, 'a-better')}
          {list(`Where B does better (${metric})`, d.bBetter, 'b-better')}
          {d.className && (
            <p className="text-xs text-slate-500">
              {d.ranked} of {d.sharedImages} images have a {d.className} IoU in both runs (the class is in the truth or in both predictions).
            </p>
          )}
        </div>
        <div className="space-y-4">
          <section className="card" aria-labelledby="map-h">
            <h2 id="map-h" className="mb-1 font-semibold">
              Image {selected.image.key}: who is right where{d.className ? ` (pixels touching ${d.className})` : ''}
            </h2>
            <p className="mb-2 text-sm text-slate-600">
              {metric}: A {pts(selected.predictionA.score)} · B {pts(selected.predictionB.score)} ·{' '}
              <Link className="link" href={`/images/${selected.image.id}`}>
                all models on this image
              </Link>
            </p>
            <ul className="mb-2 flex flex-wrap gap-x-5 gap-y-1 text-sm" aria-label="Disagreement legend">
              {DISAGREEMENT_KINDS.map((k) => (
                <li key={k.key} className="inline-flex items-center gap-1.5" data-testid={`share-${k.key}`}>
                  <span aria-hidden className="inline-block h-3 w-3 rounded-sm" style={{ background: k.color }} />
                  {k.label}:{' '}
                  <strong className="tabular-nums">{selected.compared ? ((selected.counts[k.key] / selected.compared) * 100).toFixed(1) : '0.0'}%</strong>
                  <span className="text-xs text-slate-500">({fmtInt(selected.counts[k.key])} px)</span>
                </li>
              ))}
            </ul>
            <div className="relative w-full overflow-hidden rounded" style={{ aspectRatio: `${selected.image.width} / ${selected.image.height}` }}>
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={`/api/images/${selected.image.id}`} alt="Input" className="absolute inset-0 h-full w-full" />
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={mapSrc} alt="Disagreement map" className="absolute inset-0 h-full w-full opacity-75" style={{ imageRendering: 'pixelated' }} />
            </div>
            <p className="mt-1 text-xs text-slate-500">
              {fmtInt(selected.compared)} pixels compared (ignored pixels{d.className ? ` and pixels where no map says ${d.className}` : ''} left out).
            </p>
          </section>
          <section className="card" aria-labelledby="wipe-h">
            <h2 id="wipe-h" className="mb-2 font-semibold">
              A and B on this image
            </h2>
            <WipeSlider
              base={`/api/images/${selected.image.id}`}
              a={{ name: d.a.checkpoint.name, predictionId: selected.predictionA.id }}
              b={{ name: d.b.checkpoint.name, predictionId: selected.predictionB.id }}
              width={selected.image.width}
              height={selected.image.height}
            />
          </section>
        </div>
      </div>
    </div>
  );
}

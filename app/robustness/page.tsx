import Link from 'next/link';
import { CLASSES } from '@/models/classes';
import { CORRUPTION_PARAMETERS } from '@/server/robustness/corruptions';
import { CORRUPTIONS, MAX_SEVERITY, type Corruption } from '@/server/schemas/robustness';
import { getRobustnessPage, getVariantImageMious } from '@/server/robustness/get-robustness-page';
import { AutoRefresh } from '../components/auto-refresh';
import { ClassLegend } from '../components/class-legend';
import { DatasetTabs, parseTarget } from '../components/dataset-tabs';
import { EmptyState } from '../components/empty-state';
import { ci, pts } from '../lib/format';
import { RobustnessCurves } from './robustness-curves';
import { StartRobustnessForm } from './start-robustness-form';

export const dynamic = 'force-dynamic';

const ARCH_COLOR: Record<string, string> = { unet: '#4f46e5', deeplabv3plus: '#0d9488', segnet: '#d97706' };
const OTHER_COLORS = ['#db2777', '#65a30d', '#0284c7', '#7c2d12'];
const ratio = (v: number | null) => (v === null ? '—' : v.toFixed(3));
const ratioCi = (low: number | null, high: number | null) => (low === null || high === null ? '' : `[${low.toFixed(3)}, ${high.toFixed(3)}]`);

type SearchParams = Record<string, string | string[] | undefined>;

export default async function RobustnessPage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  const target = parseTarget(sp);
  const { dataset, models, images, pending } = await getRobustnessPage({ datasetName: target.dataset, split: target.split });
  const label = `${target.dataset} · ${target.split}`;
  const colored = models.map((m, i) => ({ ...m, color: ARCH_COLOR[m.checkpoint.arch] ?? OTHER_COLORS[i % OTHER_COLORS.length] }));
  const shown = CORRUPTIONS.filter((c) => models.some((m) => m.spec.corruptions.includes(c)));
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-bold">Robustness</h1>
      <DatasetTabs base="/robustness" dataset={target.dataset} split={target.split} />
      <p className="max-w-3xl text-sm text-slate-600">
        Each frame is segmented again under camera corruptions at five severities (applied to the frame only; the labels are the clean ones).{' '}
        <strong>mPC</strong> is the mean dataset-level mIoU over every corruption and severity; <strong>rPC</strong> = mPC / clean mIoU, the share of its clean
        performance a model keeps. Intervals are 95% bootstraps that resample the same frames for the clean and every corrupted score.
      </p>
      {pending > 0 && (
        <>
          <AutoRefresh intervalMs={3000} />
          <p role="status" className="text-sm text-amber-800">
            {pending} robustness run(s) on {label} in progress;{' '}
            <Link className="link" href="/runs">
              progress on Runs
            </Link>
            .
          </p>
        </>
      )}
      {dataset && <StartRobustnessForm datasetId={dataset.id} split={target.split} label={label} />}
      {models.length === 0 ? (
        <EmptyState title={`No robustness run on ${label} yet`}>
          Start one above, or{' '}
          <code>
            npm run cli -- eval --arch all --split {target.split} --dataset {target.dataset} --robustness
          </code>
          .
        </EmptyState>
      ) : (
        <>
          <section className="card" aria-labelledby="summary-h">
            <h2 id="summary-h" className="mb-3 font-semibold">
              Summary
            </h2>
            <div className="overflow-x-auto">
              <table className="table-base" aria-label="Robustness summary">
                <thead>
                  <tr>
                    <th scope="col">Model</th>
                    <th scope="col">Clean mIoU</th>
                    <th scope="col">mPC</th>
                    <th scope="col">rPC</th>
                    <th scope="col">Applied</th>
                    <th scope="col">Data</th>
                  </tr>
                </thead>
                <tbody>
                  {colored.map((m) => (
                    <tr key={m.runId}>
                      <th scope="row">
                        <Link className="link" href={`/models/${m.checkpoint.id}`}>
                          {m.checkpoint.name}
                        </Link>
                      </th>
                      <td className="tabular-nums">
                        {pts(m.results.clean.miou.estimate)}{' '}
                        <span className="text-xs text-slate-500">{ci(m.results.clean.miou.low, m.results.clean.miou.high)}</span>
                      </td>
                      <td className="tabular-nums">
                        {pts(m.results.mpc.estimate)} <span className="text-xs text-slate-500">{ci(m.results.mpc.low, m.results.mpc.high)}</span>
                      </td>
                      <td className="tabular-nums">
                        {ratio(m.results.rpc.estimate)} <span className="text-xs text-slate-500">{ratioCi(m.results.rpc.low, m.results.rpc.high)}</span>
                      </td>
                      <td className="text-xs">
                        {m.spec.corruptions.length} corruptions × {m.spec.severities.length} severities · {m.results.images} frames
                      </td>
                      <td className="text-xs">
                        <a className="link" href={`/api/runs/${m.runId}/robustness`}>
                          JSON
                        </a>{' '}
                        ·{' '}
                        <a className="link" href={`/api/runs/${m.runId}/robustness?format=csv`}>
                          CSV
                        </a>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <section className="card" aria-labelledby="curves-h">
            <h2 id="curves-h" className="mb-3 font-semibold">
              mIoU by severity
            </h2>
            <RobustnessCurves
              corruptions={shown.map((c) => ({
                id: c,
                label: CORRUPTION_PARAMETERS[c].label,
                parameter: `${CORRUPTION_PARAMETERS[c].parameter} ${CORRUPTION_PARAMETERS[c].values.slice(1).join(', ')}`,
              }))}
              models={colored.map((m) => ({
                name: m.checkpoint.name,
                color: m.color,
                clean: m.results.clean.miou,
                corruptions: Object.fromEntries(
                  m.results.corruptions.map((c) => [c.corruption, c.severities.map((s) => ({ severity: s.severity, point: s.miou }))]),
                ),
              }))}
            />
          </section>

          <section className="card" aria-labelledby="classes-h">
            <h2 id="classes-h" className="mb-3 font-semibold">
              Per class: clean IoU, mPC and rPC
            </h2>
            <div className="overflow-x-auto">
              <table className="table-base" aria-label="Robustness per class">
                <thead>
                  <tr>
                    <th scope="col">Class</th>
                    {colored.map((m) => (
                      <th key={m.runId} scope="col">
                        {m.checkpoint.name}: clean · mPC · rPC
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {CLASSES.map((c) => (
                    <tr key={c.id}>
                      <th scope="row">{c.name}</th>
                      {colored.map((m) => (
                        <td key={m.runId} className="tabular-nums">
                          {pts(m.results.clean.perClass[c.id].estimate)} · {pts(m.results.perClass[c.id].mpc.estimate)} ·{' '}
                          {ratio(m.results.perClass[c.id].rpc.estimate)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>

          <FrameViewer sp={sp} target={target} images={images} models={colored} />
        </>
      )}
    </div>
  );
}

async function FrameViewer({
  sp,
  target,
  images,
  models,
}: {
  sp: SearchParams;
  target: { dataset: string; split: string };
  images: { id: string; key: string }[];
  models: { runId: string; checkpoint: { name: string; arch: string } }[];
}) {
  if (images.length === 0) return null;
  const image = images.find((i) => i.id === sp.image) ?? images[0];
  const corruption: Corruption = CORRUPTIONS.find((c) => c === sp.corruption) ?? 'fog';
  const severityParam = Number(sp.severity);
  const severity = Number.isInteger(severityParam) && severityParam >= 0 && severityParam <= MAX_SEVERITY ? severityParam : 3;
  const mious = await getVariantImageMious({ runIds: models.map((m) => m.runId), imageId: image.id, corruption, severity });
  const q = `image=${encodeURIComponent(image.id)}&corruption=${corruption}&severity=${severity}&w=480`;
  const field = 'mt-1 block rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm';
  return (
    <section className="card space-y-3" aria-labelledby="viewer-h">
      <h2 id="viewer-h" className="font-semibold">
        A corrupted frame and each model’s mask
      </h2>
      <form method="get" className="flex flex-wrap items-end gap-3">
        <input type="hidden" name="dataset" value={target.dataset} />
        <input type="hidden" name="split" value={target.split} />
        <label className="text-sm font-medium">
          Frame
          <select name="image" defaultValue={image.id} className={field}>
            {images.map((i) => (
              <option key={i.id} value={i.id}>
                {i.key}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          Corruption
          <select name="corruption" defaultValue={corruption} className={field}>
            {CORRUPTIONS.map((c) => (
              <option key={c} value={c}>
                {CORRUPTION_PARAMETERS[c].label}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          Severity
          <select name="severity" defaultValue={String(severity)} className={field}>
            {Array.from({ length: MAX_SEVERITY + 1 }, (_, s) => (
              <option key={s} value={s}>
                {s === 0 ? '0 (clean)' : s}
              </option>
            ))}
          </select>
        </label>
        <button className="btn">Show</button>
      </form>
      <ClassLegend />
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <figure>
          {/* eslint-disable-next-line @next/next/no-img-element -- served by our API at the size asked */}
          <img
            src={`/api/robustness/frame?${q}`}
            alt={`${image.key} under ${CORRUPTION_PARAMETERS[corruption].label}, severity ${severity}`}
            className="w-full rounded border border-slate-200"
          />
          <figcaption className="mt-1 text-xs text-slate-600">
            {image.key} · {CORRUPTION_PARAMETERS[corruption].label} · severity {severity} ({CORRUPTION_PARAMETERS[corruption].parameter}{' '}
            {CORRUPTION_PARAMETERS[corruption].values[severity]})
          </figcaption>
        </figure>
        {models.map((m) => (
          <figure key={m.runId}>
            {/* eslint-disable-next-line @next/next/no-img-element -- segmented on request, see server/robustness/render-corrupted.ts */}
            <img src={`/api/robustness/mask?run=${m.runId}&${q}`} alt={`${m.checkpoint.name} mask`} className="w-full rounded border border-slate-200" />
            <figcaption className="mt-1 text-xs text-slate-600">
              {m.checkpoint.name}
              {severity > 0 && ` · per-image mIoU in the run ${pts(mious[m.runId])}`}
            </figcaption>
          </figure>
        ))}
      </div>
    </section>
  );
}

import Link from 'next/link';
import { notFound } from 'next/navigation';
import { CLASSES } from '@/models/classes';
import { getDatasetPage } from '@/server/dashboard/get-dataset-page';
import { SPLITS } from '@/server/schemas/dataset';
import { isAppError } from '@/server/errors';
import { ClassShareChart } from '../../components/class-share-chart';
import { ClassSwatch } from '../../components/class-swatch';
import { EmptyState } from '../../components/empty-state';
import { fmtInt, pts } from '../../lib/format';

export const dynamic = 'force-dynamic';

const FORM_LABEL: Record<string, string> = {
  'red-channel': 'RGB, id in red (green and blue 0)',
  grey: 'single-channel grey',
  'palette-index': 'palette PNG, index = id',
  'carla-colour': "CARLA's colour palette",
};

export default async function DatasetPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const d = await getDatasetPage({ datasetId: id }).catch((e) => {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    throw e;
  });
  const s = d.summary;
  const splits = SPLITS.filter((x) => s.splitFrames[x] > 0);
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link className="link" href="/datasets">
            Datasets
          </Link>
        </p>
        <h1 className="text-2xl font-bold">{d.name}</h1>
        <p className="text-sm text-slate-600">
          {d.kind === 'heldout'
            ? 'Held-out set: every frame is test, never trained on.'
            : 'One drive: blocks of consecutive frames split into train and validation.'}
        </p>
      </div>

      <section className="card" aria-labelledby="facts-h">
        <h2 id="facts-h" className="mb-3 font-semibold">
          What it is
        </h2>
        <dl className="grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]">
          <dt className="font-medium">Frames</dt>
          <dd data-testid="dataset-frames">{fmtInt(s.frames)}</dd>
          <dt className="font-medium">Splits</dt>
          <dd>{splits.map((x) => `${x} ${fmtInt(s.splitFrames[x])}`).join(' · ')}</dd>
          <dt className="font-medium">Split fingerprint</dt>
          <dd>
            <code>{s.splitFingerprint}</code>
          </dd>
          <dt className="font-medium">Frames came from</dt>
          <dd>
            <code>{d.root}</code> (registered {d.createdAt.toISOString().slice(0, 10)}, content <code>{d.contentHash.slice(0, 16)}</code>)
          </dd>
          <dt className="font-medium">Label forms</dt>
          <dd>
            {Object.entries(s.labelForms)
              .map(([form, n]) => `${FORM_LABEL[form] ?? form}: ${fmtInt(n)} frames`)
              .join('; ')}
          </dd>
          <dt className="font-medium">Ignored (255) pixels</dt>
          <dd>{splits.map((x) => `${x} ${fmtInt(s.voidPixels[x])}`).join(' · ')}</dd>
          <dt className="font-medium">Hood policy</dt>
          <dd>
            {s.policy.hood === 'ignore'
              ? `ignored: ${fmtInt(s.hoodPixels)} pixels per frame labelled Car in ≥ ${s.policy.hoodThreshold * 100}% of the frames`
              : 'kept (scored like any other pixel)'}
          </dd>
        </dl>
      </section>

      {d.hoodMasks.length > 0 && (
        <section className="card" aria-labelledby="hood-h">
          <h2 id="hood-h" className="mb-3 font-semibold">
            Hood mask
          </h2>
          <div className="flex flex-wrap gap-4">
            {d.hoodMasks.map((m) => (
              <figure key={m.subset} className="max-w-md">
                <div className="relative">
                  {d.sample && d.sample.subset === m.subset && (
                    // eslint-disable-next-line @next/next/no-img-element
                    <img src={`/api/images/${d.sample.id}?w=400`} alt={`Frame ${d.sample.key}`} className="w-full rounded" />
                  )}
                  {/* eslint-disable-next-line @next/next/no-img-element */}
                  <img
                    src={m.src}
                    alt={`Hood mask${m.subset ? ` of ${m.subset}` : ''}: white pixels are ignored`}
                    className={d.sample?.subset === m.subset ? 'absolute inset-0 w-full rounded opacity-60 mix-blend-screen' : 'w-full rounded'}
                  />
                </div>
                <figcaption className="mt-1 text-xs text-slate-600">{m.subset || 'all frames'}: white = ignored as the own car</figcaption>
              </figure>
            ))}
          </div>
        </section>
      )}

      <section className="card" aria-labelledby="classes-h">
        <h2 id="classes-h" className="mb-3 font-semibold">
          Class pixel shares per split
        </h2>
        <ClassShareChart splits={splits.map((x) => ({ split: x, pixels: s.classPixels[x] }))} />
        <div className="overflow-x-auto">
          <table className="table-base" aria-label="Labelled pixels per class and split">
            <thead>
              <tr>
                <th scope="col">Class</th>
                {splits.map((x) => (
                  <th key={x} scope="col">
                    {x} pixels (share)
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {CLASSES.map((c) => (
                <tr key={c.id}>
                  <td>
                    <ClassSwatch classId={c.id} />
                  </td>
                  {splits.map((x) => {
                    const total = s.classPixels[x].reduce((a, b) => a + b, 0);
                    return (
                      <td key={x}>
                        {fmtInt(s.classPixels[x][c.id])} ({total ? pts(s.classPixels[x][c.id] / total, 2) : '—'}%)
                      </td>
                    );
                  })}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section className="card" aria-labelledby="runs-h">
        <h2 id="runs-h" className="mb-3 font-semibold">
          Evaluation runs on it
        </h2>
        {d.runs.length === 0 ? (
          <EmptyState title="No evaluation runs on this dataset" action={{ href: '/runs', label: 'Start one' }}>
            Or{' '}
            <code>
              npm run cli -- eval --arch all --split {splits[0] ?? 'val'} --dataset {d.name}
            </code>
            .
          </EmptyState>
        ) : (
          <table className="table-base" aria-label="Evaluation runs on this dataset">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Split</th>
                <th scope="col">Status</th>
                <th scope="col">mIoU</th>
                <th scope="col">Started</th>
              </tr>
            </thead>
            <tbody>
              {d.runs.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link className="link" href={`/models/${r.checkpoint.id}?run=${r.id}`}>
                      {r.checkpoint.name}
                    </Link>
                  </td>
                  <td>{r.split}</td>
                  <td>{r.status}</td>
                  <td>{pts(r.miou)}</td>
                  <td>{r.createdAt.toISOString().slice(0, 16).replace('T', ' ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {d.runCount > d.runs.length && (
          <p className="mt-2 text-xs text-slate-500">
            The newest {d.runs.length} of {d.runCount} runs;{' '}
            <Link className="link" href="/runs">
              Runs
            </Link>{' '}
            lists more.
          </p>
        )}
      </section>
    </div>
  );
}

import Link from 'next/link';
import { listConfusionImages } from '@/server/compare/list-confusion-images';
import { isAppError } from '@/server/errors';
import { ClassSwatch } from '../../../components/class-swatch';
import { fmtInt } from '../../../lib/format';

export const dynamic = 'force-dynamic';

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

export default async function ConfusionCellPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ run?: string; truth?: string; pred?: string }>;
}) {
  const { id } = await params;
  const q = await searchParams;
  let cell: Awaited<ReturnType<typeof listConfusionImages>>;
  try {
    cell = await listConfusionImages({ runId: q.run ?? '', truth: Number(q.truth), pred: Number(q.pred) });
  } catch (e) {
    if (!isAppError(e)) throw e;
    return (
      <div className="space-y-3">
        <h1 className="text-2xl font-bold">Confusion</h1>
        <p role="alert" className="text-sm text-red-700">
          {e.userMessage}
        </p>
        <Link className="link text-sm" href={`/models/${id}`}>
          Back to the model
        </Link>
      </div>
    );
  }
  const { run } = cell;
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-500">
        <Link className="link" href="/">
          Leaderboard
        </Link>{' '}
        /{' '}
        <Link className="link" href={`/models/${run.checkpointId}?run=${run.id}`}>
          {run.checkpoint.name}
        </Link>{' '}
        / confusion
      </p>
      <h1 className="text-2xl font-bold">
        {run.checkpoint.name}: truth {cell.truth.name} → predicted {cell.pred.name}
      </h1>
      <p className="text-sm text-slate-600">
        {run.dataset.name}/{run.split} · <ClassSwatch classId={cell.truth.id} /> pixels predicted as <ClassSwatch classId={cell.pred.id} />:{' '}
        {fmtInt(cell.pixels)} ({pct(cell.shareOfTruth)} of the {cell.truth.name} pixels) on {cell.imagesWithConfusion} images.
        {cell.images.length < cell.imagesWithConfusion && ` The ${cell.images.length} with the most such pixels:`} Those pixels are drawn in magenta; the rest
        of the labelled image is dimmed.
      </p>
      {cell.images.length === 0 ? (
        <p role="status" className="card text-sm">
          This model never predicted {cell.pred.name} where the truth is {cell.truth.name} on this split.
        </p>
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3" aria-label="Images with this confusion">
          {cell.images.map((im) => (
            <li key={im.imageId} className="rounded-lg border border-slate-200 bg-white p-2" data-testid="confusion-image">
              <Link href={`/images/${im.imageId}`} className="block" aria-label={`Image ${im.key}: ${fmtInt(im.pixels)} pixels`}>
                <div className="relative w-full overflow-hidden rounded" style={{ aspectRatio: `${im.width} / ${im.height}` }}>
                  {/* eslint-disable-next-line @next/next/no-img-element */}
                  <img src={`/api/images/${im.imageId}?w=480`} alt="" className="absolute inset-0 h-full w-full" loading="lazy" />
                  {/* eslint-disable-next-line @next/next/no-img-element */}
                  <img
                    src={`/api/predictions/${im.predictionId}/confusion?truth=${cell.truth.id}&pred=${cell.pred.id}&w=480`}
                    alt={`${im.key}: ${cell.truth.name} predicted as ${cell.pred.name} highlighted`}
                    className="absolute inset-0 h-full w-full"
                    loading="lazy"
                    style={{ imageRendering: 'pixelated' }}
                  />
                </div>
              </Link>
              <p className="mt-1 text-sm">
                <span className="font-medium">{im.key}</span> · {fmtInt(im.pixels)} px · {pct(im.shareOfTruth)} of its {cell.truth.name} pixels
              </p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

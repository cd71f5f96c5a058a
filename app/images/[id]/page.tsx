import Link from 'next/link';
import { notFound } from 'next/navigation';
import { getImagePage } from '@/server/dashboard/get-image-page';
import { isAppError } from '@/server/errors';
import { ClassLegend } from '../../components/class-legend';
import { SegmentationViewer } from '../../components/segmentation-viewer';
import { pts } from '../../lib/format';

export const dynamic = 'force-dynamic';

export default async function ImagePage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { image, predictions } = await getImagePage({ imageId: id }).catch((e) => {
    if (isAppError(e) && e.code === 'NOT_FOUND') notFound();
    throw e;
  });
  const panels = [
    { title: 'Input' },
    { title: 'Ground truth', subtitle: 'hood ignored', mask: `/api/images/${id}?kind=gt` },
    ...predictions.map((p) => ({
      title: p.run.checkpoint.name,
      subtitle: `per-image mIoU ${pts(p.imageMiou)} · ${p.latencyMs.toFixed(0)} ms on ${p.run.backend}`,
      mask: `/api/predictions/${p.id}`,
      errors: `/api/predictions/${p.id}?mode=errors`,
      // Imported graphs and their int8/fp16 variants may emit labels only: no probabilities to show.
      ...(p.run.checkpoint.source === 'trained'
        ? { confidence: `/api/predictions/${p.id}/confidence` }
        : { confidenceAbsent: 'an imported model (or its variant) returns labels only, not class probabilities' }),
    })),
  ];
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-500">
        <Link className="link" href={`/images?dataset=${image.dataset.name}&split=${image.split}`}>
          Images
        </Link>{' '}
        / {image.key}
      </p>
      <h1 className="text-2xl font-bold">
        {image.dataset.name} · {image.key}
      </h1>
      <p className="text-sm text-slate-600">
        {image.width}×{image.height} · split {image.split}
        {predictions.length === 0 ? ' · no model has been evaluated on this image yet' : ''}
      </p>
      <ClassLegend />
      <SegmentationViewer base={`/api/images/${id}`} panels={panels} width={image.width} height={image.height} />
    </div>
  );
}

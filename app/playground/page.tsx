import Link from 'next/link';
import { getUpload, listPlaygroundModels, listSamples, listUploads } from '@/server/playground/playground-queries';
import { isAppError } from '@/server/errors';
import { UPLOAD_LIMITS_TEXT } from '@/server/playground/validate-upload';
import { ClassLegend } from '../components/class-legend';
import { EmptyState } from '../components/empty-state';
import { DeleteUploadButton, PlaygroundResult, SampleGallery, UploadForm } from './playground-client';

export const dynamic = 'force-dynamic';

export default async function PlaygroundPage({ searchParams }: { searchParams: Promise<{ upload?: string }> }) {
  const { upload: uploadId } = await searchParams;
  const [history, samples, models] = await Promise.all([listUploads(), listSamples(), listPlaygroundModels()]);
  let upload: Awaited<ReturnType<typeof getUpload>> | null = null;
  let missing = false;
  if (uploadId) {
    upload = await getUpload(uploadId).catch((e) => {
      if (!isAppError(e)) throw e;
      missing = true;
      return null;
    });
  }
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-bold">Playground</h1>
        <p className="text-sm text-slate-600">
          Segment your own road photo with the shipped models, or any you imported. PNG, JPEG or WebP up to {UPLOAD_LIMITS_TEXT.bytes} and{' '}
          {UPLOAD_LIMITS_TEXT.pixels}; the photo is resized to the models’ 256×192 input (4:3) and the masks are returned at your photo’s resolution.
        </p>
      </div>
      <div className="grid gap-4 lg:grid-cols-3">
        <section className="card lg:col-span-2" aria-labelledby="up-h">
          <h2 id="up-h" className="mb-2 font-semibold">
            Upload a photo
          </h2>
          <UploadForm models={models} />
        </section>
        <section className="card" aria-labelledby="hist-h">
          <h2 id="hist-h" className="mb-2 font-semibold">
            History
          </h2>
          {history.length === 0 ? (
            <p className="text-sm text-slate-500">Nothing yet: your uploads appear here.</p>
          ) : (
            <ul className="max-h-64 space-y-1 overflow-y-auto text-sm" aria-label="Previous uploads">
              {history.map((h) => (
                <li key={h.id} className="flex items-center justify-between gap-2" data-testid="history-item">
                  <Link className={`link truncate ${h.id === uploadId ? 'font-semibold' : ''}`} href={`/playground?upload=${h.id}`} title={h.fileName}>
                    {h.fileName}
                  </Link>
                  <span className="shrink-0 text-xs text-slate-500">
                    {h.width}×{h.height}
                  </span>
                  <DeleteUploadButton uploadId={h.id} fileName={h.fileName} current={h.id === uploadId} />
                </li>
              ))}
            </ul>
          )}
        </section>
      </div>
      <section className="card" aria-labelledby="samples-h">
        <h2 id="samples-h" className="mb-2 font-semibold">
          Or try a sample frame with ground truth
        </h2>
        <SampleGallery samples={samples.map((s) => ({ id: s.id, label: `${s.dataset.name} ${s.key}` }))} />
      </section>
      {missing && (
        <p role="alert" className="text-sm text-red-700">
          That upload no longer exists (it may have been deleted).
        </p>
      )}
      {upload ? (
        <section aria-labelledby="res-h" className="space-y-3">
          <h2 id="res-h" className="text-lg font-semibold">
            Results for {upload.fileName}{' '}
            <span className="text-sm font-normal text-slate-500">
              ({upload.width}×{upload.height})
            </span>
          </h2>
          <ClassLegend />
          <PlaygroundResult
            upload={{ id: upload.id, width: upload.width, height: upload.height, sampleImageId: upload.sampleImageId }}
            predictions={upload.predictions.map((p) => ({
              id: p.id,
              model: p.checkpoint.name,
              latencyMs: p.latencyMs,
              backend: p.backend,
              imageMiou: p.imageMiou,
              classPercents: p.classPercents,
            }))}
          />
        </section>
      ) : (
        !missing && <EmptyState title="No photo selected">Upload a photo or pick a sample frame above; results for every model ticked appear here.</EmptyState>
      )}
    </div>
  );
}

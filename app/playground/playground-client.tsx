'use client';

import { useRouter } from 'next/navigation';
import { useId, useRef, useState, useTransition } from 'react';
import { CLASSES } from '@/models/classes';
import { deleteUploadAction, segmentSampleAction, uploadPhotoAction } from '../actions/playground';
import { ClassMaskCanvas } from '../components/class-mask-canvas';
import { ClassSwatch } from '../components/class-swatch';
import { ClassViewControls, useClassView, type HoverPoint } from '../components/class-view';
import { pts } from '../lib/format';

export function UploadForm({ models }: { models: { id: string; name: string; checked: boolean }[] }) {
  const router = useRouter();
  const [chosen, setChosen] = useState(() => new Set(models.filter((m) => m.checked).map((m) => m.id)));
  const inputId = useId();
  const fileRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [drag, setDrag] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const submit = (f: File) =>
    start(async () => {
      setError(null);
      const form = new FormData();
      form.set('file', f);
      for (const id of chosen) form.append('checkpointIds', id);
      const r = await uploadPhotoAction(form);
      if (!r.ok) setError(r.message);
      else router.push(`/playground?upload=${r.data.uploadId}`);
    });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (file) submit(file);
        else setError('Choose an image file first.');
      }}
      className="space-y-3"
    >
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setDrag(true);
        }}
        onDragLeave={() => setDrag(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDrag(false);
          const f = e.dataTransfer.files[0];
          if (f) {
            setFile(f);
            submit(f);
          }
        }}
        className={`flex flex-col items-center justify-center rounded-xl border-2 border-dashed p-6 text-center text-sm ${drag ? 'border-indigo-500 bg-indigo-50' : 'border-slate-300'}`}
      >
        <p className="mb-2 text-slate-600">Drop a road photo here, or</p>
        <label htmlFor={inputId} className="btn-secondary cursor-pointer">
          Choose a file
        </label>
        <input
          id={inputId}
          ref={fileRef}
          name="file"
          type="file"
          accept="image/png,image/jpeg,image/webp"
          className="sr-only"
          aria-label="Photo to segment"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setError(null);
          }}
        />
        {file && (
          <p className="mt-2 text-slate-700">
            {file.name} · {(file.size / 1024).toFixed(0)} KB
          </p>
        )}
      </div>
      <fieldset className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
        <legend className="mb-1 font-medium">Models to run</legend>
        {models.map((m) => (
          <label key={m.id} className="inline-flex items-center gap-1">
            <input
              type="checkbox"
              checked={chosen.has(m.id)}
              onChange={(e) =>
                setChosen((prev) => {
                  const next = new Set(prev);
                  if (e.target.checked) next.add(m.id);
                  else next.delete(m.id);
                  return next;
                })
              }
            />
            {m.name}
          </label>
        ))}
      </fieldset>
      <button className="btn" disabled={pending || !file || chosen.size === 0}>
        {pending ? `Segmenting with ${chosen.size} model(s)…` : 'Segment'}
      </button>
      {error && (
        <p role="alert" className="rounded-lg bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}
    </form>
  );
}

export function SampleGallery({ samples }: { samples: { id: string; label: string }[] }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (!samples.length) return <p className="text-sm text-slate-500">No sample frames registered.</p>;
  return (
    <div>
      <ul className="grid grid-cols-2 gap-2 sm:grid-cols-4 lg:grid-cols-8">
        {samples.map((s) => (
          <li key={s.id}>
            <button
              type="button"
              disabled={pending}
              aria-label={`Segment sample ${s.label}`}
              className="block w-full rounded-lg border border-slate-200 p-1 text-left hover:border-indigo-400 focus-visible:ring-2 focus-visible:ring-indigo-500 disabled:opacity-60"
              onClick={() =>
                start(async () => {
                  setBusy(s.id);
                  setError(null);
                  const r = await segmentSampleAction(s.id);
                  setBusy(null);
                  if (!r.ok) setError(r.message);
                  else router.push(`/playground?upload=${r.data.uploadId}`);
                })
              }
            >
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={`/api/images/${s.id}?w=200`} alt="" className="aspect-[4/3] w-full rounded object-cover" loading="lazy" />
              <span className="mt-1 block truncate text-xs">{busy === s.id ? 'Segmenting…' : s.label}</span>
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p role="alert" className="mt-2 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

export function DeleteUploadButton({ uploadId, fileName, current }: { uploadId: string; fileName: string; current: boolean }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <button
      type="button"
      className="shrink-0 rounded px-1.5 text-xs text-red-700 hover:bg-red-50 disabled:opacity-50"
      aria-label={`Delete ${fileName}`}
      disabled={pending}
      onClick={() =>
        start(async () => {
          await deleteUploadAction(uploadId);
          if (current) router.push('/playground');
          else router.refresh();
        })
      }
    >
      Delete
    </button>
  );
}

interface PredictionView {
  id: string;
  model: string;
  latencyMs: number;
  backend: string;
  imageMiou: number | null;
  classPercents: { classId: number; percent: number }[];
}

/** A mask or frame from our own API, drawn pixel for pixel (no optimiser would improve a label map). */
function Img({ src, alt, style }: { src: string; alt: string; style?: React.CSSProperties }) {
  // eslint-disable-next-line @next/next/no-img-element
  return <img src={src} alt={alt} className="absolute inset-0 h-full w-full" style={{ imageRendering: 'pixelated', ...style }} />;
}

export function PlaygroundResult({
  upload,
  predictions,
}: {
  upload: { id: string; width: number; height: number; sampleImageId: string | null };
  predictions: PredictionView[];
}) {
  const [opacity, setOpacity] = useState(0.55);
  const [errors, setErrors] = useState(false);
  const [view, actions] = useClassView();
  const [hover, setHover] = useState<HoverPoint>(null);
  const sliderId = useId();
  const ratio = `${upload.width} / ${upload.height}`;
  const input = `/api/playground/${upload.id}`;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-4 text-sm">
        <label htmlFor={sliderId} className="font-medium">
          Overlay opacity
        </label>
        <input id={sliderId} type="range" min={0} max={1} step={0.05} value={opacity} onChange={(e) => setOpacity(Number(e.target.value))} className="w-48" />
        <span className="tabular-nums">{Math.round(opacity * 100)}%</span>
        {upload.sampleImageId && (
          <label className="inline-flex items-center gap-1">
            <input type="checkbox" checked={errors} onChange={(e) => setErrors(e.target.checked)} /> Correct / incorrect pixels against ground truth
          </label>
        )}
      </div>
      {!errors && <ClassViewControls view={view} actions={actions} />}
      {upload.sampleImageId && (
        <div className="card grid gap-3 sm:grid-cols-3">
          <figure>
            <div className="relative w-full overflow-hidden rounded" style={{ aspectRatio: ratio }}>
              <Img src={input} alt="Input" />
            </div>
            <figcaption className="mt-1 text-sm font-medium">Input</figcaption>
          </figure>
          <figure>
            <div className="relative w-full overflow-hidden rounded" style={{ aspectRatio: ratio }}>
              <ClassMaskCanvas
                src={`/api/images/${upload.sampleImageId}?kind=gt`}
                label="Ground truth mask"
                view={view}
                hover={hover}
                onHover={setHover}
                className="absolute inset-0 h-full w-full"
              />
            </div>
            <figcaption className="mt-1 text-sm font-medium">
              Ground truth <span className="font-normal text-slate-500">(hood ignored)</span>
            </figcaption>
          </figure>
        </div>
      )}
      {predictions.map((p) => (
        <article key={p.id} className="card" aria-label={`${p.model} result`} data-testid="model-result">
          <header className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
            <h3 className="text-base font-semibold">{p.model}</h3>
            <p className="text-sm text-slate-600">
              {p.latencyMs.toFixed(0)} ms on {p.backend}
              {p.imageMiou !== null && (
                <>
                  {' '}
                  · per-image mIoU <strong data-testid="sample-iou">{pts(p.imageMiou)}</strong>
                </>
              )}
            </p>
          </header>
          <div className="grid gap-3 lg:grid-cols-4">
            <figure>
              <div className="relative w-full overflow-hidden rounded" style={{ aspectRatio: ratio }}>
                <Img src={input} alt={`${p.model}: input`} />
              </div>
              <figcaption className="mt-1 text-xs font-medium">Input</figcaption>
            </figure>
            <figure>
              <div className="relative w-full overflow-hidden rounded bg-slate-900" style={{ aspectRatio: ratio }}>
                {errors ? (
                  <Img src={`/api/playground/predictions/${p.id}?mode=errors`} alt={`${p.model}: mask`} />
                ) : (
                  <ClassMaskCanvas
                    src={`/api/playground/predictions/${p.id}`}
                    label={`${p.model}: mask`}
                    view={view}
                    hover={hover}
                    onHover={setHover}
                    className="absolute inset-0 h-full w-full"
                  />
                )}
              </div>
              <figcaption className="mt-1 text-xs font-medium">{errors ? 'Correct / incorrect' : 'Mask'}</figcaption>
            </figure>
            <figure>
              <div className="relative w-full overflow-hidden rounded" style={{ aspectRatio: ratio }}>
                <Img src={input} alt="" />
                {errors ? (
                  <Img src={`/api/playground/predictions/${p.id}?mode=errors`} alt={`${p.model}: overlay`} style={{ opacity }} />
                ) : (
                  <ClassMaskCanvas
                    src={`/api/playground/predictions/${p.id}`}
                    label={`${p.model}: overlay`}
                    view={view}
                    hover={hover}
                    onHover={setHover}
                    className="absolute inset-0 h-full w-full"
                    style={{ opacity }}
                  />
                )}
              </div>
              <figcaption className="mt-1 text-xs font-medium">Overlay</figcaption>
            </figure>
            <div>
              <table className="table-base text-xs" aria-label={`${p.model} class percentages`}>
                <thead>
                  <tr>
                    <th scope="col">Class</th>
                    <th scope="col" className="text-right">
                      Pixels
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {p.classPercents.map((c) => (
                    <tr key={c.classId}>
                      <td className="!py-1">
                        <ClassSwatch classId={c.classId} />
                      </td>
                      <td className="!py-1 text-right">{c.percent.toFixed(1)}%</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {p.classPercents.length === 0 && <p className="text-xs text-slate-500">No pixels.</p>}
              <p className="sr-only">{CLASSES.length} classes</p>
            </div>
          </div>
        </article>
      ))}
    </div>
  );
}

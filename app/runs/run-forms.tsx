'use client';

import { useRouter } from 'next/navigation';
import { useActionState, useState, useTransition } from 'react';
import { ARCH_LABEL, ARCHITECTURES, hasEncoder, type Architecture } from '@/models/config';
import { cancelEvaluationAction, cancelTrainingAction, startEvaluationAction, startTrainingAction, stopTrainingKeepBestAction } from '../actions/runs';

const field =
  'mt-1 block w-full rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500';

export function StartEvaluationForm({
  checkpoints,
  datasets,
}: {
  checkpoints: { id: string; label: string }[];
  datasets: { id: string; name: string; kind: string }[];
}) {
  const [state, action, pending] = useActionState(startEvaluationAction, null);
  const [datasetId, setDatasetId] = useState(datasets[0]?.id ?? '');
  const kind = datasets.find((d) => d.id === datasetId)?.kind;
  return (
    <form action={action} className="space-y-3">
      <label className="block text-sm font-medium">
        Model
        <select name="checkpoint" className={field} defaultValue="all">
          <option value="all">All models (newest checkpoint of each network)</option>
          {checkpoints.map((c) => (
            <option key={c.id} value={c.id}>
              {c.label}
            </option>
          ))}
        </select>
      </label>
      <div className="grid grid-cols-2 gap-3">
        <label className="block text-sm font-medium">
          Dataset
          <select name="datasetId" className={field} value={datasetId} onChange={(e) => setDatasetId(e.target.value)}>
            {datasets.map((d) => (
              <option key={d.id} value={d.id}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label className="block text-sm font-medium">
          Split
          <select name="split" className={field} key={kind} defaultValue={kind === 'heldout' ? 'test' : 'val'}>
            {kind === 'heldout' ? (
              <option value="test">test</option>
            ) : (
              <>
                <option value="val">val</option>
                <option value="train">train</option>
              </>
            )}
          </select>
        </label>
      </div>
      <label className="block text-sm font-medium">
        Test-time augmentation
        <select name="tta" className={field} defaultValue="none">
          <option value="none">None</option>
          <option value="flip">Flip averaging: scores of the frame and its mirror image averaged (2× compute, its own leaderboard row)</option>
        </select>
      </label>
      <fieldset className="flex flex-wrap gap-4 text-sm">
        <legend className="sr-only">Metrics beyond mIoU</legend>
        <label className="inline-flex items-center gap-1.5">
          <input type="checkbox" name="calibration" value="on" defaultChecked /> Calibration (ECE, reliability, coverage)
        </label>
        <label className="inline-flex items-center gap-1.5">
          <input type="checkbox" name="boundary" value="on" defaultChecked /> Boundary IoU
        </label>
        <span className="text-xs text-slate-500">
          on by default; untick to save CPU per frame (docs/metrics.md gives the cost). Safety-weighted error, flicker and small-object recall are always
          computed
        </span>
      </fieldset>
      <button className="btn" disabled={pending}>
        {pending ? 'Queuing…' : 'Start evaluation'}
      </button>
      {state && !state.ok && (
        <p role="alert" className="text-sm text-red-700">
          {state.message}
        </p>
      )}
      {state?.ok && (
        <p role="status" className="text-sm text-green-700">
          Queued {state.data.runIds.length} run(s). Progress below.
        </p>
      )}
    </form>
  );
}

/** The training ingredients a run can switch on or off (docs/training.md, "The recipe"). */
const INGREDIENTS = [
  { name: 'photometric', label: 'Photometric variation', hint: 'contrast, gamma, channel gain, sensor noise' },
  { name: 'weather', label: 'Weather variation', hint: 'colour temperature, wet road and puddles, haze, rain, blur' },
  { name: 'ohem', label: 'Hard-pixel mining', hint: 'learn from pixels with true-class probability < 0.7' },
  { name: 'lovasz', label: 'Lovász-softmax term', hint: 'an IoU surrogate added to the cross-entropy; ~25 % slower steps' },
  { name: 'scale', label: 'Random scale', hint: 'crops zoomed in by up to 1.5×' },
] as const;

/** Input sizes the form offers (multiples of 32, so every architecture takes them); the first is the recipe's. */
const INPUTS = [
  { value: '256x192', label: '256×192 (the recipe)' },
  { value: '384x288', label: '384×288 (finer; about 2.3× longer)' },
  { value: '128x96', label: '128×96 (a quick look; about 4× faster)' },
] as const;

export function StartTrainingForm({
  defaults,
}: {
  defaults: { epochs: number; width: number; recipe: string; ingredients: Record<(typeof INGREDIENTS)[number]['name'], boolean> };
}) {
  const [state, action, pending] = useActionState(startTrainingAction, null);
  const [arch, setArch] = useState<Architecture>('unet');
  const encoder = hasEncoder(arch);
  return (
    <form action={action} className="space-y-3">
      <div className="grid grid-cols-4 gap-3">
        <label className="block text-sm font-medium">
          Architecture
          <select name="arch" className={field} value={arch} onChange={(e) => setArch(e.target.value as Architecture)}>
            {ARCHITECTURES.map((a) => (
              <option key={a} value={a}>
                {ARCH_LABEL[a]}
              </option>
            ))}
          </select>
        </label>
        <label className="block text-sm font-medium">
          Epochs
          <input name="epochs" type="number" min={1} max={200} defaultValue={defaults.epochs} className={field} />
        </label>
        {encoder ? (
          <label className="block text-sm font-medium">
            Encoder starts
            <select name="encoderInit" className={field} defaultValue="nsfwjs">
              <option value="nsfwjs">pretrained (nsfwjs MobileNetV2)</option>
              <option value="random">random (the control)</option>
            </select>
          </label>
        ) : (
          <label className="block text-sm font-medium">
            Width
            <input name="width" type="number" min={2} max={64} defaultValue={defaults.width} className={field} />
          </label>
        )}
        <label className="block text-sm font-medium">
          Input
          <select name="input" className={field} defaultValue={INPUTS[0].value}>
            {INPUTS.map((i) => (
              <option key={i.value} value={i.value}>
                {i.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {encoder && (
        <p className="text-xs text-slate-500">
          A MobileNetV2 encoder (α 1) under this decoder. Pretrained, it starts from the weights shipped in the npm package nsfwjs (MIT; ImageNet, then a
          5-class image task) and learns at a quarter of the decoder&apos;s rate; random, it starts like every other layer, at the full rate.
        </p>
      )}
      <fieldset className="grid grid-cols-2 gap-x-3 gap-y-1 text-sm">
        <legend className="mb-1 font-medium">Ingredients</legend>
        {INGREDIENTS.map((g) => (
          <label key={g.name} className="flex items-start gap-2" title={g.hint}>
            <input type="checkbox" name={g.name} defaultChecked={defaults.ingredients[g.name]} className="mt-1" />
            <span>
              {g.label} <span className="text-xs text-slate-500">({g.hint})</span>
            </span>
          </label>
        ))}
      </fieldset>
      <label className="flex items-start gap-2 text-sm">
        <input type="checkbox" name="evaluate" defaultChecked className="mt-1" />
        <span>
          Evaluate and rank when done{' '}
          <span className="text-xs text-slate-500">
            (the best checkpoint on the drive&apos;s val split and the official frames, with calibration and boundary IoU, then on the leaderboard)
          </span>
        </span>
      </label>
      <p className="text-xs text-slate-500">
        The shipped checkpoints&apos; recipe: {defaults.recipe}. About 1–1.5 min per epoch at width {defaults.width} and 256×192 on 2 quiet CPU cores with the
        ONNX Runtime engine (wider networks and a busy machine take longer); the best epoch is chosen on the selection split.
      </p>
      <button className="btn" disabled={pending}>
        {pending ? 'Queuing…' : 'Start training'}
      </button>
      {state && !state.ok && (
        <p role="alert" className="text-sm text-red-700">
          {state.message}
          {state.fieldErrors
            ? `: ${Object.entries(state.fieldErrors)
                .map(([k, v]) => `${k} ${v.join(', ')}`)
                .join('; ')}`
            : ''}
        </p>
      )}
      {state?.ok && (
        <p role="status" className="text-sm text-green-700">
          Training queued. Progress below.
        </p>
      )}
    </form>
  );
}

export function CancelButton({ kind, runId, keepBest = false }: { kind: 'evaluation' | 'training'; runId: string; keepBest?: boolean }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const act = (fn: () => Promise<{ ok: boolean; message?: string }>) =>
    start(async () => {
      const r = await fn();
      setError(r.ok ? null : (r.message ?? null));
      router.refresh();
    });
  return (
    <>
      <button
        type="button"
        className="btn-secondary !px-2 !py-1 text-xs"
        disabled={pending}
        onClick={() => act(() => (kind === 'evaluation' ? cancelEvaluationAction(runId) : cancelTrainingAction(runId)))}
      >
        Cancel
      </button>
      {kind === 'training' && keepBest && (
        <button
          type="button"
          className="btn-secondary ml-1 !px-2 !py-1 text-xs"
          disabled={pending}
          title="Stop now and keep the best epoch so far as a checkpoint: it is evaluated and ranked like a finished run"
          onClick={() => act(() => stopTrainingKeepBestAction(runId))}
        >
          Stop and keep best
        </button>
      )}
      {error && (
        <span role="alert" className="ml-2 text-xs text-red-700">
          {error}
        </span>
      )}
    </>
  );
}

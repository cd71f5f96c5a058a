'use client';

import { useEffect, useId, useState } from 'react';
import { ClassMaskCanvas } from './class-mask-canvas';
import { ClassViewControls, useClassView, type HoverPoint } from './class-view';
import { CONFIDENCE_RAMP_CSS, ConfidenceLayer, HATCH_CSS } from './confidence-layer';

interface Panel {
  title: string;
  subtitle?: string;
  /** Overlay image (mask or error map) drawn on top of `base`. */
  mask?: string;
  errors?: string;
  /** The model's confidence map and abstention curve (/api/predictions/[id]/confidence). */
  confidence?: string;
  /** Why a model panel has no confidence map. */
  confidenceAbsent?: string;
}

type Layer = 'mask' | 'errors' | 'confidence';
const LAYERS: { value: Layer; label: string }[] = [
  { value: 'mask', label: 'Class masks' },
  { value: 'errors', label: 'Correct / incorrect pixels (green / red)' },
  { value: 'confidence', label: 'Confidence (abstain below a threshold)' },
];
const MAX_THRESHOLD = 0.99;

function parseThreshold(v: string | null): number {
  const t = Number(v);
  return v !== null && v !== '' && Number.isFinite(t) ? Math.min(MAX_THRESHOLD, Math.max(0, Math.round(t * 100) / 100)) : 0.5;
}

/**
 * The layer and the confidence threshold live in the URL (`?layer=confidence&t=0.60`), so a view
 * can be linked as it is seen; written after the slider rests, never once per input event.
 */
function useLayerInUrl(): [Layer, (l: Layer) => void, number, (t: number) => void] {
  const [layer, setLayer] = useState<Layer>('mask');
  const [threshold, setThreshold] = useState(0.5);
  const [read, setRead] = useState(false);
  // Read after mount, as in class-view.tsx: the server render has no URL to read.
  useEffect(() => {
    const q = new URL(window.location.href).searchParams;
    const l = q.get('layer');
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (LAYERS.some((x) => x.value === l)) setLayer(l as Layer);
    setThreshold(parseThreshold(q.get('t')));
    setRead(true);
  }, []);
  useEffect(() => {
    if (!read) return;
    const timer = setTimeout(() => {
      const url = new URL(window.location.href);
      if (layer === 'mask') url.searchParams.delete('layer');
      else url.searchParams.set('layer', layer);
      if (layer === 'confidence') url.searchParams.set('t', threshold.toFixed(2));
      else url.searchParams.delete('t');
      window.history.replaceState(window.history.state, '', url);
    }, 200);
    return () => clearTimeout(timer);
  }, [layer, threshold, read]);
  return [layer, setLayer, threshold, setThreshold];
}

/**
 * Input, truth and each model side by side with one shared opacity slider, class toggles, a
 * correct/incorrect view and a confidence view with an abstention threshold; hovering any mask
 * shows every mask's class at that point.
 */
export function SegmentationViewer({ base, panels, width, height }: { base: string; panels: Panel[]; width: number; height: number }) {
  const [opacity, setOpacity] = useState(0.6);
  const [layer, setLayer, threshold, setThreshold] = useLayerInUrl();
  const [view, actions] = useClassView();
  const [hover, setHover] = useState<HoverPoint>(null);
  const sliderId = useId();
  const thresholdId = useId();
  const layers = LAYERS.filter((l) => l.value === 'mask' || panels.some((p) => (l.value === 'errors' ? p.errors : p.confidence || p.confidenceAbsent)));
  return (
    <div>
      <div className="mb-3 flex flex-wrap items-center gap-4 text-sm">
        <label htmlFor={sliderId} className="font-medium">
          Mask opacity
        </label>
        <input id={sliderId} type="range" min={0} max={1} step={0.05} value={opacity} onChange={(e) => setOpacity(Number(e.target.value))} className="w-48" />
        <span className="tabular-nums">{Math.round(opacity * 100)}%</span>
        {layers.length > 1 && (
          <fieldset className="inline-flex flex-wrap items-center gap-3">
            <legend className="sr-only">Layer</legend>
            {layers.map((l) => (
              <label key={l.value} className="inline-flex items-center gap-1">
                <input type="radio" name={`${sliderId}-layer`} value={l.value} checked={layer === l.value} onChange={() => setLayer(l.value)} /> {l.label}
              </label>
            ))}
          </fieldset>
        )}
      </div>
      {layer === 'confidence' && (
        <div className="mb-3 flex flex-wrap items-center gap-4 text-sm">
          <label htmlFor={thresholdId} className="font-medium">
            Confidence threshold
          </label>
          <input
            id={thresholdId}
            type="range"
            min={0}
            max={MAX_THRESHOLD}
            step={0.01}
            value={threshold}
            onChange={(e) => setThreshold(parseThreshold(e.target.value))}
            className="w-64"
          />
          <span className="tabular-nums" data-testid="threshold-value">
            {threshold.toFixed(2)}
          </span>
          <span className="inline-flex items-center gap-1 text-slate-600">
            confidence 0 <span aria-hidden className="inline-block h-3 w-24 rounded-sm" style={{ background: CONFIDENCE_RAMP_CSS }} /> 1 ·
            <span aria-hidden className="inline-block h-3 w-4 rounded-sm" style={{ background: HATCH_CSS }} /> abstained (below the threshold; scored as no
            class)
          </span>
        </div>
      )}
      {layer === 'mask' && <ClassViewControls view={view} actions={actions} className="mb-3" />}
      <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
        {panels.map((p) => (
          <figure key={p.title} className="rounded-lg border border-slate-200 bg-white p-2" data-testid="viewer-panel">
            <div className="relative w-full overflow-hidden rounded" style={{ aspectRatio: `${width} / ${height}` }}>
              {/* eslint-disable-next-line @next/next/no-img-element */}
              <img src={base} alt={`${p.title}: input`} className="absolute inset-0 h-full w-full" />
              {layer === 'errors' && p.errors ? (
                // eslint-disable-next-line @next/next/no-img-element
                <img
                  src={p.errors}
                  alt={`${p.title}: correct and incorrect pixels`}
                  className="absolute inset-0 h-full w-full"
                  style={{ opacity, imageRendering: 'pixelated' }}
                />
              ) : layer === 'confidence' && p.confidence ? (
                <ConfidenceLayer src={p.confidence} label={`${p.title}: confidence`} threshold={threshold} style={{ opacity }} />
              ) : layer === 'confidence' && p.confidenceAbsent ? (
                <span className="absolute inset-x-0 bottom-0 bg-black/70 px-1.5 text-xs text-white">No confidence map: {p.confidenceAbsent}.</span>
              ) : (
                p.mask && (
                  <ClassMaskCanvas
                    src={p.mask}
                    label={`${p.title}: mask`}
                    view={view}
                    hover={hover}
                    onHover={setHover}
                    className="absolute inset-0 h-full w-full"
                    style={{ opacity }}
                  />
                )
              )}
            </div>
            <figcaption className="mt-1 text-sm">
              <span className="font-medium">{p.title}</span>
              {p.subtitle && <span className="text-slate-600"> · {p.subtitle}</span>}
            </figcaption>
          </figure>
        ))}
      </div>
    </div>
  );
}

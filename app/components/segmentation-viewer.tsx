'use client';

import { useId, useState } from 'react';

export interface Panel {
  title: string;
  subtitle?: string;
  /** Overlay image (mask or error map) drawn on top of `base`. */
  mask?: string;
  errors?: string;
}

/** Input, truth and each model side by side with one shared opacity slider and a correct/incorrect view. */
export function SegmentationViewer({ base, panels, width, height }: { base: string; panels: Panel[]; width: number; height: number }) {
  const [opacity, setOpacity] = useState(0.6);
  const [showErrors, setShowErrors] = useState(false);
  const sliderId = useId();
  const hasErrors = panels.some((p) => p.errors);
  return (
    <div>
      <div className="mb-3 flex flex-wrap items-center gap-4 text-sm">
        <label htmlFor={sliderId} className="font-medium">Mask opacity</label>
        <input id={sliderId} type="range" min={0} max={1} step={0.05} value={opacity} onChange={(e) => setOpacity(Number(e.target.value))} className="w-48" />
        <span className="tabular-nums">{Math.round(opacity * 100)}%</span>
        {hasErrors && (
          <label className="inline-flex items-center gap-1">
            <input type="checkbox" checked={showErrors} onChange={(e) => setShowErrors(e.target.checked)} /> Correct / incorrect pixels (green / red)
          </label>
        )}
      </div>
      <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
        {panels.map((p) => {
          const overlay = showErrors && p.errors ? p.errors : p.mask;
          return (
            <figure key={p.title} className="rounded-lg border border-slate-200 bg-white p-2" data-testid="viewer-panel">
              <div className="relative w-full overflow-hidden rounded" style={{ aspectRatio: `${width} / ${height}` }}>
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <img src={base} alt={`${p.title}: input`} className="absolute inset-0 h-full w-full" />
                {/* eslint-disable-next-line @next/next/no-img-element */}
                {overlay && <img src={overlay} alt={`${p.title}: ${showErrors && p.errors ? 'correct and incorrect pixels' : 'mask'}`} className="absolute inset-0 h-full w-full" style={{ opacity, imageRendering: 'pixelated' }} />}
              </div>
              <figcaption className="mt-1 text-sm"><span className="font-medium">{p.title}</span>{p.subtitle && <span className="text-slate-600"> · {p.subtitle}</span>}</figcaption>
            </figure>
          );
        })}
      </div>
    </div>
  );
}

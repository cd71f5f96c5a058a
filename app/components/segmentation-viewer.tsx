'use client';

import { useId, useState } from 'react';
import { ClassMaskCanvas } from './class-mask-canvas';
import { ClassViewControls, useClassView, type HoverPoint } from './class-view';

export interface Panel {
  title: string;
  subtitle?: string;
  /** Overlay image (mask or error map) drawn on top of `base`. */
  mask?: string;
  errors?: string;
}

/**
 * Input, truth and each model side by side with one shared opacity slider, class toggles and a
 * correct/incorrect view; hovering any mask shows every mask's class at that point.
 */
export function SegmentationViewer({ base, panels, width, height }: { base: string; panels: Panel[]; width: number; height: number }) {
  const [opacity, setOpacity] = useState(0.6);
  const [showErrors, setShowErrors] = useState(false);
  const [view, actions] = useClassView();
  const [hover, setHover] = useState<HoverPoint>(null);
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
      {!showErrors && <ClassViewControls view={view} actions={actions} className="mb-3" />}
      <div className="grid gap-3 sm:grid-cols-2 xl:grid-cols-3">
        {panels.map((p) => (
            <figure key={p.title} className="rounded-lg border border-slate-200 bg-white p-2" data-testid="viewer-panel">
              <div className="relative w-full overflow-hidden rounded" style={{ aspectRatio: `${width} / ${height}` }}>
                {/* eslint-disable-next-line @next/next/no-img-element */}
                <img src={base} alt={`${p.title}: input`} className="absolute inset-0 h-full w-full" />
                {showErrors && p.errors ? (
                  // eslint-disable-next-line @next/next/no-img-element
                  <img src={p.errors} alt={`${p.title}: correct and incorrect pixels`} className="absolute inset-0 h-full w-full" style={{ opacity, imageRendering: 'pixelated' }} />
                ) : (
                  p.mask && <ClassMaskCanvas src={p.mask} label={`${p.title}: mask`} view={view} hover={hover} onHover={setHover} className="absolute inset-0 h-full w-full" style={{ opacity }} />
                )}
              </div>
              <figcaption className="mt-1 text-sm"><span className="font-medium">{p.title}</span>{p.subtitle && <span className="text-slate-600"> · {p.subtitle}</span>}</figcaption>
            </figure>
        ))}
      </div>
    </div>
  );
}

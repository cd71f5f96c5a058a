'use client';

import { useId, useState } from 'react';
import { ClassMaskCanvas } from '../../components/class-mask-canvas';
import { ClassViewControls, useClassView, type HoverPoint } from '../../components/class-view';

/**
 * One image with A's overlay left of the wipe line and B's right of it: drag the line to see
 * where the two masks part. Both overlays stay loaded, so moving the line fetches nothing. As
 * masks, classes can be hidden, and hovering names A's and B's class at the same pixel.
 */
export function WipeSlider({
  base,
  a,
  b,
  width,
  height,
}: {
  base: string;
  a: { name: string; predictionId: string };
  b: { name: string; predictionId: string };
  width: number;
  height: number;
}) {
  const [at, setAt] = useState(50);
  const [errors, setErrors] = useState(false);
  const [opacity, setOpacity] = useState(0.7);
  const [view, actions] = useClassView();
  const [hover, setHover] = useState<HoverPoint>(null);
  const wipeId = useId();
  const opacityId = useId();
  const src = (id: string) => `/api/predictions/${id}${errors ? '?mode=errors' : ''}`;
  const overlay = { imageRendering: 'pixelated' as const, opacity };
  const clipA = `inset(0 ${100 - at}% 0 0)`;
  const clipB = `inset(0 0 0 ${at}%)`;
  return (
    <div>
      <div className="mb-2 flex flex-wrap items-center gap-4 text-sm">
        <label htmlFor={wipeId} className="font-medium">
          Wipe position (A ← → B)
        </label>
        <input id={wipeId} type="range" min={0} max={100} step={1} value={at} onChange={(e) => setAt(Number(e.target.value))} className="w-64" />
        <span className="tabular-nums" data-testid="wipe-value">
          {at}%
        </span>
        <label htmlFor={opacityId}>Overlay opacity</label>
        <input id={opacityId} type="range" min={0} max={1} step={0.05} value={opacity} onChange={(e) => setOpacity(Number(e.target.value))} className="w-32" />
        <label className="inline-flex items-center gap-1">
          <input type="checkbox" checked={errors} onChange={(e) => setErrors(e.target.checked)} /> Correct / incorrect pixels (green / red)
        </label>
      </div>
      {!errors && <ClassViewControls view={view} actions={actions} className="mb-2" />}
      <div className="relative w-full overflow-hidden rounded" style={{ aspectRatio: `${width} / ${height}` }}>
        {/* eslint-disable-next-line @next/next/no-img-element */}
        <img src={base} alt="Input" className="absolute inset-0 h-full w-full" />
        {errors ? (
          <>
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img
              src={src(a.predictionId)}
              alt={`Run A (${a.name}) overlay`}
              data-testid="wipe-a"
              className="absolute inset-0 h-full w-full"
              style={{ ...overlay, clipPath: clipA }}
            />
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img
              src={src(b.predictionId)}
              alt={`Run B (${b.name}) overlay`}
              data-testid="wipe-b"
              className="absolute inset-0 h-full w-full"
              style={{ ...overlay, clipPath: clipB }}
            />
          </>
        ) : (
          <>
            <ClassMaskCanvas
              src={src(a.predictionId)}
              label={`Run A (${a.name}) overlay`}
              testId="wipe-a"
              view={view}
              hover={hover}
              onHover={setHover}
              badge={{ prefix: 'A: ', side: 'left' }}
              className="absolute inset-0 h-full w-full"
              style={{ ...overlay, clipPath: clipA }}
            />
            <ClassMaskCanvas
              src={src(b.predictionId)}
              label={`Run B (${b.name}) overlay`}
              testId="wipe-b"
              view={view}
              hover={hover}
              onHover={setHover}
              badge={{ prefix: 'B: ', side: 'right' }}
              className="absolute inset-0 h-full w-full"
              style={{ ...overlay, clipPath: clipB }}
            />
          </>
        )}
        <div aria-hidden className="absolute inset-y-0 w-0.5 bg-white shadow" style={{ left: `${at}%` }} />
        <span className="absolute left-2 top-2 rounded bg-black/60 px-1.5 text-xs text-white">A · {a.name}</span>
        <span className="absolute right-2 top-2 rounded bg-black/60 px-1.5 text-xs text-white">B · {b.name}</span>
      </div>
    </div>
  );
}

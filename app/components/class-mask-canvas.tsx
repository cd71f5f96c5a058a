'use client';

import { useEffect, useRef, useState } from 'react';
import { CLASSES } from '@/models/classes';
import { decodeImagePixels, type PixelCodes } from '../lib/decode-image-pixels';
import type { ClassView, HoverPoint } from './class-view';

/** Mask PNGs are drawn in the class colours (server/render/render-images.ts); each colour is one class. */
const ID_OF_RGB = new Map(CLASSES.map((c) => [parseInt(c.color.slice(1), 16), c.id]));
const RGB = CLASSES.map((c) => [1, 3, 5].map((i) => parseInt(c.color.slice(i, i + 2), 16)));
const NONE = 255;

type Ids = PixelCodes;

/**
 * A class-coloured mask redrawn in the browser with some classes hidden and each class at its own
 * opacity; hovering reports the point, and the class under it is shown on every mask of the view.
 * The PNG is decoded once into class ids, so toggling a class never refetches anything.
 */
export function ClassMaskCanvas({
  src,
  label,
  view,
  hover,
  onHover,
  badge = { prefix: '', side: 'left' },
  className,
  style,
  testId,
}: {
  src: string;
  label: string;
  view: ClassView;
  hover?: HoverPoint;
  onHover?: (p: HoverPoint) => void;
  /** Where the hovered class is named, and with what prefix (two masks stacked on one image need both). */
  badge?: { prefix: string; side: 'left' | 'right' };
  className?: string;
  style?: React.CSSProperties;
  testId?: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [ids, setIds] = useState<Ids | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    const img = new Image();
    img.onload = () => {
      if (!live) return;
      setIds(decodeImagePixels(img, (r, g, b) => ID_OF_RGB.get((r << 16) | (g << 8) | b) ?? NONE, NONE));
    };
    img.onerror = () => live && setFailed(true);
    img.src = src;
    return () => {
      live = false;
    };
  }, [src]);

  useEffect(() => {
    const el = canvas.current;
    if (!ids || !el) return;
    el.width = ids.width;
    el.height = ids.height;
    const ctx = el.getContext('2d')!;
    const out = ctx.createImageData(ids.width, ids.height);
    const a = RGB.map((_, k) => (view.hidden.has(k) ? 0 : Math.round(255 * view.alpha[k])));
    for (let i = 0; i < ids.data.length; i++) {
      const k = ids.data[i];
      if (k === NONE || a[k] === 0) continue;
      out.data[i * 4] = RGB[k][0];
      out.data[i * 4 + 1] = RGB[k][1];
      out.data[i * 4 + 2] = RGB[k][2];
      out.data[i * 4 + 3] = a[k];
    }
    ctx.putImageData(out, 0, 0);
  }, [ids, view.hidden, view.alpha]);

  const under = (() => {
    if (!hover || !ids) return null;
    const x = Math.min(ids.width - 1, Math.floor(hover.fx * ids.width));
    const y = Math.min(ids.height - 1, Math.floor(hover.fy * ids.height));
    const k = ids.data[y * ids.width + x];
    return k === NONE ? 'ignored' : CLASSES[k].name;
  })();

  return (
    <>
      <canvas
        ref={canvas}
        role="img"
        aria-label={label}
        data-ready={ids ? 'true' : 'false'}
        data-testid={testId}
        className={className}
        style={{ imageRendering: 'pixelated', ...style }}
        onMouseMove={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          onHover?.({ fx: Math.max(0, Math.min(1, (e.clientX - r.left) / r.width)), fy: Math.max(0, Math.min(1, (e.clientY - r.top) / r.height)) });
        }}
        onMouseLeave={() => onHover?.(null)}
      />
      {failed && (
        <span role="alert" className="absolute inset-x-0 bottom-0 bg-red-50 px-1 text-xs text-red-800">
          The mask could not be loaded.
        </span>
      )}
      {under && (
        <span
          className={`pointer-events-none absolute bottom-1 rounded bg-black/70 px-1.5 text-xs text-white ${badge.side === 'left' ? 'left-1' : 'right-1'}`}
          data-testid="hover-class"
        >
          {badge.prefix}
          {under}
        </span>
      )}
    </>
  );
}

'use client';

import { useEffect, useRef, useState } from 'react';
import { decodeImagePixels, type PixelCodes } from '../lib/decode-image-pixels';
import { pts } from '../lib/format';

interface AbstentionPoint {
  threshold: number;
  abstained: number;
  miou: number | null;
  pixelAccuracy: number | null;
}

/** Per pixel its threshold step; NONE where the truth is ignored. */
type Steps = PixelCodes;

const NONE = 255;
/** Viridis at five stops: low confidence dark purple, high confidence yellow. */
const RAMP = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];
/** Abstained pixels: a grey hatch, so they read as "no answer" rather than as a colour of the ramp. */
const HATCH = [
  [71, 85, 105],
  [203, 213, 225],
];

function rampColour(f: number): number[] {
  const x = Math.min(1, Math.max(0, f)) * (RAMP.length - 1);
  const i = Math.min(RAMP.length - 2, Math.floor(x));
  const t = x - i;
  return RAMP[i].map((v, c) => Math.round(v + (RAMP[i + 1][c] - v) * t));
}

/** The legend's gradient, from the same stops the canvas uses. */
export const CONFIDENCE_RAMP_CSS = `linear-gradient(to right, ${RAMP.map((c) => `rgb(${c.join(',')})`).join(', ')})`;
export const HATCH_CSS = `repeating-linear-gradient(45deg, rgb(${HATCH[0].join(',')}) 0 3px, rgb(${HATCH[1].join(',')}) 3px 6px)`;

/**
 * One model's confidence on one image (the softmax probability of the class it emitted, from
 * /api/predictions/[id]/confidence): pixels below the threshold are hatched as abstained, the rest
 * coloured by confidence, and the image's abstained share and kept-pixel scores are read from
 * the server's curve at the same step. The map is decoded once; moving the threshold fetches nothing.
 */
export function ConfidenceLayer({ src, label, threshold, style }: { src: string; label: string; threshold: number; style?: React.CSSProperties }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [steps, setSteps] = useState<Steps | null>(null);
  const [curve, setCurve] = useState<AbstentionPoint[] | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    // A new map: the last one's refusal no longer applies.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setFailure(null);
    // The numbers first: the server computes the map with them, and a refusal (no probabilities) says why.
    fetch(src)
      .then(async (r) => {
        const body = await r.json().catch(() => null);
        if (!r.ok) throw new Error(body?.message ?? 'The confidence map could not be computed.');
        if (!live) return;
        setCurve(body.curve as AbstentionPoint[]);
        const img = new Image();
        img.onload = () => {
          if (!live) return;
          setSteps(decodeImagePixels(img, (r) => r, NONE));
        };
        img.onerror = () => live && setFailure('The confidence map could not be loaded.');
        img.src = `${src}?format=png`;
      })
      .catch((e: Error) => live && setFailure(e.message));
    return () => {
      live = false;
    };
  }, [src]);

  const nSteps = curve?.length ?? 0;
  const k = Math.min(nSteps - 1, Math.max(0, Math.round(threshold * nSteps)));

  useEffect(() => {
    const el = canvas.current;
    if (!steps || !el || nSteps === 0) return;
    el.width = steps.width;
    el.height = steps.height;
    const ctx = el.getContext('2d')!;
    const out = ctx.createImageData(steps.width, steps.height);
    const colours = Array.from({ length: nSteps }, (_, s) => rampColour((s + 0.5) / nSteps));
    for (let i = 0; i < steps.data.length; i++) {
      const s = steps.data[i];
      if (s === NONE) continue;
      const x = i % steps.width;
      const y = (i - x) / steps.width;
      const c = s < k ? HATCH[((x + y) >> 2) & 1] : colours[s];
      out.data[i * 4] = c[0];
      out.data[i * 4 + 1] = c[1];
      out.data[i * 4 + 2] = c[2];
      out.data[i * 4 + 3] = 255;
    }
    ctx.putImageData(out, 0, 0);
  }, [steps, k, nSteps]);

  const point = curve && k >= 0 ? curve[k] : null;
  return (
    <>
      <canvas
        ref={canvas}
        role="img"
        aria-label={label}
        data-ready={steps ? 'true' : 'false'}
        className="absolute inset-0 h-full w-full"
        style={{ imageRendering: 'pixelated', ...style }}
      />
      {failure && (
        <span role="alert" className="absolute inset-x-0 bottom-0 bg-red-50 px-1 text-xs text-red-800">
          {failure}
        </span>
      )}
      {point && (
        <span className="absolute inset-x-0 bottom-0 bg-black/70 px-1.5 text-xs text-white" data-testid="abstention">
          abstained <span data-testid="abstained-share">{pts(point.abstained)} %</span> · kept pixels: mIoU{' '}
          <span data-testid="kept-miou">{pts(point.miou)}</span>, pixel accuracy {pts(point.pixelAccuracy)} %
        </span>
      )}
    </>
  );
}

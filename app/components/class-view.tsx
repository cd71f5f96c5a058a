'use client';

import { useCallback, useEffect, useId, useState } from 'react';
import { CLASSES, NUM_CLASSES } from '@/models/classes';

/** Which classes a mask view draws, and how opaque each is (0..1). */
export interface ClassView {
  hidden: ReadonlySet<number>;
  alpha: readonly number[];
}

/** A point on the image as fractions of its width and height (masks of any size share it). */
export type HoverPoint = { fx: number; fy: number } | null;

function parseHidden(v: string | null): Set<number> {
  const out = new Set<number>();
  for (const part of (v ?? '').split(',')) {
    const k = Number(part);
    if (part !== '' && Number.isInteger(k) && k >= 0 && k < NUM_CLASSES) out.add(k);
  }
  return out;
}

/**
 * Class visibility and per-class opacity, with the hidden classes kept in the URL (`?hide=4,7`)
 * so a view can be linked as it is seen. The URL is rewritten in place: no navigation, no refetch.
 */
export function useClassView(): [ClassView, { toggle: (k: number, shown: boolean) => void; setAlpha: (k: number, a: number) => void; showAll: () => void }] {
  const [hidden, setHidden] = useState<ReadonlySet<number>>(() => new Set());
  const [alpha, setAlphas] = useState<readonly number[]>(() => CLASSES.map(() => 1));
  // Read after mount: the server render has no URL of its own to read it from, so reading it during
  // render would make the first client render differ from the server's (a hydration mismatch).
  // eslint-disable-next-line react-hooks/set-state-in-effect
  useEffect(() => setHidden(parseHidden(new URL(window.location.href).searchParams.get('hide'))), []);
  const write = useCallback((next: ReadonlySet<number>) => {
    setHidden(next);
    const url = new URL(window.location.href);
    if (next.size) url.searchParams.set('hide', [...next].sort((a, b) => a - b).join(','));
    else url.searchParams.delete('hide');
    window.history.replaceState(window.history.state, '', url);
  }, []);
  return [
    { hidden, alpha },
    {
      toggle: (k, shown) => {
        const next = new Set(hidden);
        if (shown) next.delete(k);
        else next.add(k);
        write(next);
      },
      setAlpha: (k, a) => setAlphas((prev) => prev.map((v, i) => (i === k ? a : v))),
      showAll: () => write(new Set()),
    },
  ];
}

/** Show/hide and opacity per class, for every mask of the view at once. */
export function ClassViewControls({ view, actions, className = '' }: { view: ClassView; actions: ReturnType<typeof useClassView>[1]; className?: string }) {
  const id = useId();
  return (
    <details className={`rounded-lg border border-slate-200 bg-white p-2 text-sm ${className}`} open={view.hidden.size > 0 || undefined}>
      <summary className="cursor-pointer font-medium">Classes shown{view.hidden.size ? ` (${NUM_CLASSES - view.hidden.size} of ${NUM_CLASSES})` : ''}</summary>
      <ul className="mt-2 grid gap-x-4 gap-y-1 sm:grid-cols-2 lg:grid-cols-4" aria-label="Classes shown in the masks">
        {CLASSES.map((c) => (
          <li key={c.id} className="flex items-center gap-2">
            <label className="inline-flex w-32 items-center gap-1.5">
              <input type="checkbox" checked={!view.hidden.has(c.id)} onChange={(e) => actions.toggle(c.id, e.target.checked)} aria-label={`Show ${c.name}`} />
              <span aria-hidden className="inline-block h-3 w-3 rounded-sm border border-slate-300" style={{ background: c.color }} />
              {c.name}
            </label>
            <input
              id={`${id}-${c.id}`}
              type="range"
              min={0}
              max={1}
              step={0.1}
              value={view.alpha[c.id]}
              disabled={view.hidden.has(c.id)}
              onChange={(e) => actions.setAlpha(c.id, Number(e.target.value))}
              aria-label={`${c.name} opacity`}
              className="w-20"
            />
          </li>
        ))}
      </ul>
      {view.hidden.size > 0 && (
        <button type="button" className="btn-secondary mt-2" onClick={actions.showAll}>
          Show all classes
        </button>
      )}
    </details>
  );
}

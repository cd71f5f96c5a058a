'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useActionState, useState, useTransition } from 'react';
import { deleteFilterAction, saveFilterAction } from '@/app/actions/saved-filters';

interface SavedFilterItem {
  id: string;
  name: string;
  /** Dataset · split · the slice in words. */
  label: string;
  /** The leaderboard on this filter. */
  href: string;
}

/** Save the slice on screen under a name (its fields travel as the URL holds them). */
export function SaveFilterForm({ dataset, split, slice }: { dataset: string; split: string; slice: Record<string, string | number | undefined> }) {
  const [state, action, pending] = useActionState(saveFilterAction, null);
  return (
    <form action={action} className="flex flex-wrap items-end gap-2 text-sm" aria-label="Save this slice">
      <input type="hidden" name="dataset" value={dataset} />
      <input type="hidden" name="split" value={split} />
      {Object.entries(slice).map(([k, v]) => (v === undefined ? null : <input key={k} type="hidden" name={k} value={String(v)} />))}
      <label className="font-medium">
        Save this slice as
        <input
          name="name"
          maxLength={60}
          required
          className="mt-1 block w-56 rounded-lg border border-slate-300 px-2 py-1"
          placeholder="e.g. dark frames with cars"
        />
      </label>
      <button className="btn-secondary" disabled={pending}>
        {pending ? 'Saving…' : 'Save filter'}
      </button>
      {state && !state.ok && (
        <p role="alert" className="basis-full text-sm text-red-700">
          {state.fieldErrors ? Object.values(state.fieldErrors).flat().join(' ') : state.message}
        </p>
      )}
      {state?.ok && (
        <p role="status" className="basis-full text-sm text-green-700">
          Saved as “{state.data.name}”.
        </p>
      )}
    </form>
  );
}

/** The saved filters: each opens the leaderboard on its slice (a deep link by id) and can be deleted. */
export function SavedFilterList({ filters, activeId }: { filters: SavedFilterItem[]; activeId: string | null }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  if (filters.length === 0) return <p className="text-sm text-slate-500">No saved filters yet: choose a slice above and save it under a name.</p>;
  return (
    <div>
      <ul className="flex flex-wrap gap-2 text-sm" aria-label="Saved filters">
        {filters.map((f) => (
          <li
            key={f.id}
            className={`flex items-center gap-1 rounded-full border px-3 py-1 ${f.id === activeId ? 'border-indigo-600 bg-indigo-50' : 'border-slate-300 bg-white'}`}
          >
            <Link className="link font-medium" href={f.href} aria-current={f.id === activeId ? 'page' : undefined} title={f.label}>
              {f.name}
            </Link>
            <span className="text-xs text-slate-500">{f.label}</span>
            <button
              type="button"
              className="rounded px-1 text-xs text-red-700 hover:bg-red-50 disabled:opacity-50"
              aria-label={`Delete filter ${f.name}`}
              disabled={pending}
              onClick={() =>
                start(async () => {
                  const r = await deleteFilterAction(f.id);
                  setError(r.ok ? null : r.message);
                  // The board of a deleted filter has nothing left to show: back to the whole split.
                  if (r.ok && f.id === activeId) router.push('/');
                  else router.refresh();
                })
              }
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p role="alert" className="mt-1 text-sm text-red-700">
          {error}
        </p>
      )}
    </div>
  );
}

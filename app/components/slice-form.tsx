import Link from 'next/link';
import { ClassOptions } from './class-options';
import { sliceQuery, type Slice } from '@/server/compare/slice';

/**
 * Choose a slice of the split: a GET form, so the slice lives in the URL and every sliced board
 * is a link. Frame indices count the dataset's frames in time order from 0; brightness is the
 * frame's mean luma taken at import (0 black, 255 white).
 */
export function SliceForm({ base, dataset, split, slice }: { base: string; dataset: string; split: string; slice: Slice }) {
  const field = 'mt-1 block rounded-lg border border-slate-300 px-2 py-1';
  return (
    // Keyed by the slice: a navigation to another slice (a saved filter, Whole split) remounts the
    // inputs, whose default values React would otherwise leave as they were.
    <form
      key={`${dataset}|${split}|${sliceQuery(slice)}`}
      method="get"
      action={base}
      className="card flex flex-wrap items-end gap-3 text-sm"
      aria-label="Slice"
    >
      <input type="hidden" name="dataset" value={dataset} />
      <input type="hidden" name="split" value={split} />
      <label className="font-medium">
        Class in the truth
        <select name="has" defaultValue={slice.has ?? ''} className={field}>
          <option value="">any</option>
          <ClassOptions />
        </select>
      </label>
      <label className="font-medium">
        at least (share of the frame, 0–1)
        <input name="share" type="number" min={0} max={1} step="any" defaultValue={slice.share ?? ''} className={`${field} w-28`} />
      </label>
      <label className="font-medium">
        First frame
        <input name="from" type="number" min={0} step={1} defaultValue={slice.from ?? ''} className={`${field} w-24`} />
      </label>
      <label className="font-medium">
        Last frame
        <input name="to" type="number" min={0} step={1} defaultValue={slice.to ?? ''} className={`${field} w-24`} />
      </label>
      <label className="font-medium">
        Brightness from (0–255)
        <input name="brightMin" type="number" min={0} max={255} step="any" defaultValue={slice.brightMin ?? ''} className={`${field} w-24`} />
      </label>
      <label className="font-medium">
        to
        <input name="brightMax" type="number" min={0} max={255} step="any" defaultValue={slice.brightMax ?? ''} className={`${field} w-24`} />
      </label>
      <button className="btn-secondary">Apply slice</button>
      <Link className="link" href={`${base}?dataset=${dataset}&split=${split}`}>
        Whole split
      </Link>
    </form>
  );
}

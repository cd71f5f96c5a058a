import { getLeaderboard, type Leaderboard } from '../dashboard/get-leaderboard.ts';
import type { SplitName } from '../schemas/dataset.ts';
import { isAppError } from '../errors.ts';
import { getSavedFilterOrThrow, type SavedFilterView } from './saved-filters.ts';
import { isWholeSplit, parseSlice, type Slice } from './slice.ts';
import { sliceLeaderboard, type SliceInfo } from './slice-leaderboard.ts';

export interface SliceBoard {
  /** The dataset split shown: a saved filter's own, else the one the page asked for. */
  target: { dataset: string; split: SplitName };
  filter: SavedFilterView | null;
  slice: Slice;
  /** What the user sees when the slice or saved filter in the URL is bad; the whole split is shown then. */
  sliceError: string | null;
  whole: Leaderboard;
  /** The board on the slice's images only; null for the whole split. */
  sliced: (Leaderboard & { sliceInfo: SliceInfo }) | null;
}

/**
 * The leaderboard a page shows for its URL: the saved filter (`filter`) or the slice parameters,
 * scored by sliceLeaderboard. Every page that can be sliced reads its numbers here, so a slice
 * means the same images and the same numbers on each of them.
 */
export async function resolveSliceBoard({
  params,
  target,
}: {
  params: Record<string, string | string[] | undefined>;
  target: { dataset: string; split: SplitName };
}): Promise<SliceBoard> {
  let filter: SavedFilterView | null = null;
  let sliceError: string | null = null;
  let slice: Slice = {};
  try {
    if (typeof params.filter === 'string' && params.filter !== '') {
      filter = await getSavedFilterOrThrow(params.filter);
      slice = filter.slice;
    } else slice = parseSlice(params);
  } catch (e) {
    if (!isAppError(e)) throw e;
    sliceError = e.userMessage;
  }
  // A saved filter names its dataset and split as well as the slice.
  const shown = filter ? { dataset: filter.dataset, split: filter.split } : target;
  const whole = await getLeaderboard({ datasetName: shown.dataset, split: shown.split });
  const sliced = isWholeSplit(slice) ? null : await sliceLeaderboard({ board: whole, slice });
  return { target: shown, filter, slice, sliceError, whole, sliced };
}

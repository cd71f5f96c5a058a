import type { DatasetFrame, ScannedDataset } from '../dataset/read-dataset.ts';

/** Which training blocks are held out to choose the epoch (and anything else tuned) on. */
export interface SelectionSplitOptions {
  /** Of the dataset's blocks (its split's block size), those with index % every === offset ... */
  every: number;
  offset: number;
}

export const DEFAULT_SELECTION: SelectionSplitOptions = { every: 10, offset: 2 };

/**
 * Carves a selection split out of the TRAINING frames: whole blocks of consecutive frames (the
 * dataset's own block size), so no near-duplicate neighbour of a selection frame is trained on
 * except at a block edge, exactly as train and val are separated. Training picks its best epoch
 * here; val and other drives are then only evaluated, never chosen on. A single-drive dataset
 * only (the block structure is what keeps it leak-free).
 */
export function carveSelectionSplit(
  dataset: ScannedDataset,
  opts: SelectionSplitOptions = DEFAULT_SELECTION,
): { train: DatasetFrame[]; selection: DatasetFrame[]; blocks: number[] } {
  if (dataset.splitOptions === 'all-test') throw new Error('selection split: this dataset has no training split');
  const { blockSize } = dataset.splitOptions;
  const ordered = [...dataset.frames].sort((a, b) => a.key.localeCompare(b.key));
  const train: DatasetFrame[] = [];
  const selection: DatasetFrame[] = [];
  const blocks = new Set<number>();
  ordered.forEach((f, i) => {
    if (f.split !== 'train') return;
    const block = Math.floor(i / blockSize);
    if (block % opts.every === opts.offset) {
      selection.push(f);
      blocks.add(block);
    } else train.push(f);
  });
  if (selection.length === 0 || train.length === 0) {
    throw new Error(
      `selection split: ${dataset.root} has ${ordered.length} frames in blocks of ${blockSize}; no training block has index ≡ ${opts.offset} (mod ${opts.every})`,
    );
  }
  return { train, selection, blocks: [...blocks] };
}

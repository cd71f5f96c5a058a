import type { ReactNode } from 'react';
import type { SliceInfo } from '@/server/compare/slice-leaderboard';

/** Which slice a page's numbers are computed on, and how many of the split's images that is. */
export function SliceSummary({ info, filterName, children }: { info: SliceInfo; filterName: string | null; children: ReactNode }) {
  return (
    <p role="status" className="rounded-lg bg-indigo-50 px-3 py-2 text-sm text-indigo-900" data-testid="slice-summary">
      {filterName && (
        <>
          Saved filter <strong>{filterName}</strong>:{' '}
        </>
      )}
      Slice: <strong>{info.label}</strong> — {info.images} of {info.splitImages} images. {children}
    </p>
  );
}

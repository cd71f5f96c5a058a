import Link from 'next/link';
import { LEADERBOARD_TARGETS } from '@/server/dashboard/get-leaderboard';
import { SPLITS, type SplitName } from '@/server/schemas/dataset';

export function DatasetTabs({ base, dataset, split }: { base: string; dataset: string; split: string }) {
  return (
    <nav aria-label="Evaluation set" className="flex flex-wrap gap-2">
      {LEADERBOARD_TARGETS.map((t) => {
        const active = t.dataset === dataset && t.split === split;
        return (
          <Link
            key={t.dataset + t.split}
            href={`${base}?dataset=${t.dataset}&split=${t.split}`}
            aria-current={active ? 'page' : undefined}
            className={`rounded-full border px-3 py-1 text-sm ${active ? 'border-indigo-600 bg-indigo-600 text-white' : 'border-slate-300 bg-white text-slate-700 hover:bg-slate-100'}`}
          >
            {t.label}
          </Link>
        );
      })}
    </nav>
  );
}

export function parseTarget(sp: Record<string, string | string[] | undefined>): { dataset: string; split: SplitName } {
  const dataset = typeof sp.dataset === 'string' ? sp.dataset : 'carla-drive';
  // Parenthesised: `a ?? b ? c : d` is `(a ?? b) ? c : d`, which turned an explicit ?split=val into 'test'.
  const split = SPLITS.find((s) => s === sp.split) ?? (dataset === 'carla-official' ? 'test' : 'val');
  return { dataset, split };
}

import { CLASSES } from '@/models/classes';

export function ClassSwatch({ classId, withName = true }: { classId: number; withName?: boolean }) {
  const c = CLASSES[classId];
  return (
    <span className="inline-flex items-center gap-1.5">
      <span aria-hidden className="inline-block h-3 w-3 rounded-sm border border-slate-300" style={{ background: c.color }} />
      {withName && <span>{c.name}</span>}
    </span>
  );
}

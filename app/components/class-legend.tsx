import { CLASSES } from '@/models/classes';
import { ClassSwatch } from './class-swatch';

export function ClassLegend() {
  return (
    <ul aria-label="Class colours" className="flex flex-wrap gap-x-4 gap-y-1 text-xs">
      {CLASSES.map((c) => (
        <li key={c.id}>
          <ClassSwatch classId={c.id} />
        </li>
      ))}
    </ul>
  );
}

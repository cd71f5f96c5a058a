import { CLASSES } from '@/models/classes';

/** One <option> per class (value: its id), for every class picker; the <select> around it is the caller's. */
export function ClassOptions() {
  return CLASSES.map((c) => (
    <option key={c.id} value={c.id}>
      {c.name}
    </option>
  ));
}

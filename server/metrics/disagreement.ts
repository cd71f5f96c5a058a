import { IGNORE_INDEX, NUM_CLASSES } from '../../models/classes.ts';

/**
 * Per-pixel agreement of two models with the truth. Codes are stored one byte per pixel so a
 * map can be coloured or counted without re-deciding; 0 is a pixel outside the comparison
 * (ignored truth, or not touching the chosen class).
 */
export const DISAGREEMENT_KINDS = [
  { code: 1, key: 'bothRight', label: 'both right', color: '#cbd5e1' },
  { code: 2, key: 'onlyA', label: 'only A right', color: '#2563eb' },
  { code: 3, key: 'onlyB', label: 'only B right', color: '#f59e0b' },
  { code: 4, key: 'bothWrong', label: 'both wrong', color: '#dc2626' },
] as const;

type DisagreementKey = (typeof DISAGREEMENT_KINDS)[number]['key'];
type DisagreementCounts = Record<DisagreementKey, number>;

export interface DisagreementMap {
  width: number;
  height: number;
  /** One code per pixel: 0 outside the comparison, else a DISAGREEMENT_KINDS code. */
  codes: Uint8Array;
  counts: DisagreementCounts;
}

interface Labels {
  width: number;
  height: number;
  data: Uint8Array;
}

/**
 * Classifies every non-ignored pixel as both right / only A / only B / both wrong. With
 * `classId`, only pixels where the truth or either prediction is that class take part (the
 * pixels that can change that class's IoU). Values outside 0..12 are an error, as in the
 * confusion matrix: a dropped pixel would make the shares lie.
 */
export function disagreementMap(gt: Labels, a: Labels, b: Labels, classId?: number): DisagreementMap {
  for (const [name, m] of [
    ['A', a],
    ['B', b],
  ] as const) {
    if (m.width !== gt.width || m.height !== gt.height)
      throw new RangeError(`disagreement: prediction ${name} is ${m.width}×${m.height}, the truth ${gt.width}×${gt.height}`);
  }
  if (classId !== undefined && !(Number.isInteger(classId) && classId >= 0 && classId < NUM_CLASSES))
    throw new RangeError(`disagreement: class ${classId} is outside 0..${NUM_CLASSES - 1}`);
  const codes = new Uint8Array(gt.data.length);
  const tally = [0, 0, 0, 0, 0];
  const k = classId ?? -1;
  for (let i = 0; i < codes.length; i++) {
    const g = gt.data[i];
    if (g === IGNORE_INDEX) continue;
    const pa = a.data[i];
    const pb = b.data[i];
    if (g >= NUM_CLASSES || pa >= NUM_CLASSES || pb >= NUM_CLASSES)
      throw new RangeError(`disagreement: label ${Math.max(g, pa, pb)} at pixel ${i} is outside 0..${NUM_CLASSES - 1}`);
    if (k >= 0 && g !== k && pa !== k && pb !== k) continue;
    const code = pa === g ? (pb === g ? 1 : 2) : pb === g ? 3 : 4;
    codes[i] = code;
    tally[code]++;
  }
  return { width: gt.width, height: gt.height, codes, counts: { bothRight: tally[1], onlyA: tally[2], onlyB: tally[3], bothWrong: tally[4] } };
}

export function totalCompared(c: DisagreementCounts): number {
  return c.bothRight + c.onlyA + c.onlyB + c.bothWrong;
}

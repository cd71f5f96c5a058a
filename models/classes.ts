/**
 * The 13 CARLA 0.8 / Lyft-Udacity challenge classes, in label-id order.
 * One colour per class, used everywhere: legend, masks, charts.
 */
export const NUM_CLASSES = 13;
export const IGNORE_INDEX = 255;

interface ClassInfo {
  id: number;
  name: string;
  /** sRGB hex colour used for masks, swatches and chart bars. */
  color: string;
}

export const CLASSES: readonly ClassInfo[] = [
  { id: 0, name: 'Unlabeled', color: '#1f2937' },
  { id: 1, name: 'Building', color: '#b45309' },
  { id: 2, name: 'Fence', color: '#a3a3a3' },
  { id: 3, name: 'Other', color: '#7c3aed' },
  { id: 4, name: 'Pedestrian', color: '#ef4444' },
  { id: 5, name: 'Pole', color: '#facc15' },
  { id: 6, name: 'Road line', color: '#22d3ee' },
  { id: 7, name: 'Road', color: '#8b5cf6' },
  { id: 8, name: 'Sidewalk', color: '#ec4899' },
  { id: 9, name: 'Vegetation', color: '#16a34a' },
  { id: 10, name: 'Car', color: '#2563eb' },
  { id: 11, name: 'Wall', color: '#78716c' },
  { id: 12, name: 'Traffic sign', color: '#f97316' },
];

export function classRgb(id: number): [number, number, number] {
  const hex = CLASSES[id]?.color ?? '#000000';
  return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
}

import { IGNORE_INDEX, NUM_CLASSES } from '../../models/classes.ts';

/**
 * CARLA's documented semantic-segmentation colours for tags 0..12 (carla.readthedocs.io,
 * "Sensors reference", semantic segmentation camera; the same values as CARLA's
 * LibCarla/source/carla/image/CityScapesPalette.h for these tags).
 */
export const CARLA_PALETTE: readonly (readonly [number, number, number])[] = [
  [0, 0, 0], // Unlabeled
  [70, 70, 70], // Building
  [100, 40, 40], // Fence
  [55, 90, 80], // Other
  [220, 20, 60], // Pedestrian
  [153, 153, 153], // Pole
  [157, 234, 50], // RoadLine
  [128, 64, 128], // Road
  [244, 35, 232], // Sidewalk
  [107, 142, 35], // Vegetation
  [0, 0, 142], // Vehicles (our Car)
  [102, 102, 156], // Wall
  [220, 220, 0], // TrafficSign
];

const CARLA_ID_BY_RGB = new Map(CARLA_PALETTE.map(([r, g, b], id) => [(r << 16) | (g << 8) | b, id]));

/** The class id of an exact CARLA palette colour, or undefined for any other colour. */
export function carlaClassOfColour(r: number, g: number, b: number): number | undefined {
  return CARLA_ID_BY_RGB.get((r << 16) | (g << 8) | b);
}

/** A valid stored id: a class 0..12 or the ignore value 255. */
export function isLabelValue(v: number): boolean {
  return v < NUM_CLASSES || v === IGNORE_INDEX;
}

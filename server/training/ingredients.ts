import { DEFAULT_PHOTOMETRIC } from './augment.ts';
import { DEFAULT_LOVASZ, DEFAULT_MINING } from './loss.ts';
import { DEFAULT_WEATHER } from './weather.ts';

/** The training ingredients a run switches on or off, by the name of their CLI flag and form field. */
export interface IngredientSwitches {
  photometric: boolean;
  weather: boolean;
  ohem: boolean;
  lovasz: boolean;
}

/** Switched-on ingredients as the loop's options, each with the recipe's settings: one map for the CLI and the app's runs. */
export function ingredientsOf(o: IngredientSwitches) {
  return {
    photometric: o.photometric ? DEFAULT_PHOTOMETRIC : undefined,
    weather: o.weather ? DEFAULT_WEATHER : undefined,
    mining: o.ohem ? DEFAULT_MINING : undefined,
    lovasz: o.lovasz ? DEFAULT_LOVASZ : undefined,
  };
}

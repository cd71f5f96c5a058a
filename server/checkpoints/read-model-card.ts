import { modelCardSchema, type ModelCard } from '../schemas/checkpoint.ts';
import { parseJson } from '../schemas/common.ts';

/** A `card.json`'s text, parsed and validated. */
export function readModelCard(text: string, file: string): ModelCard {
  return parseJson(modelCardSchema, JSON.parse(text), file);
}

import { modelCardSchema, parseJson, type ModelCard } from '../definitions.ts';

/** A `card.json`'s text, parsed and validated. */
export function readModelCard(text: string, file: string): ModelCard {
  return parseJson(modelCardSchema, JSON.parse(text), file);
}

/** Sparse feature vectors shared by requests and routes: word stems and concepts. */
import { forEachConceptMention, type Lexicon } from './lexicon';
import { contentStems } from './text';

/** Feature name → weight. Names are `word:<stem>` or `concept:<id>` (plain stems/ids in request evidence). */
export type FeatureVector = Map<string, number>;

export const wordFeature = (stem: string): string => `word:${stem}`;
export const conceptFeature = (concept: string): string => `concept:${concept}`;

/** Adds `weight` to one feature. */
export function addFeature(vector: FeatureVector, feature: string, weight: number): void {
  vector.set(feature, (vector.get(feature) ?? 0) + weight);
}

/** Adds the word stems of `text` and the concepts they mention, scaled by `weight`. */
export function addText(vector: FeatureVector, lexicon: Lexicon, text: string, weight: number): void {
  const stems = contentStems(text);
  for (const stem of stems) addFeature(vector, wordFeature(stem), weight);
  forEachConceptMention(lexicon, stems, (concept, conceptWeight) =>
    addFeature(vector, conceptFeature(concept), weight * conceptWeight),
  );
}

/** Adds concept activations (from the editor or code patterns), scaled by `weight`. */
export function addConcepts(vector: FeatureVector, activations: ReadonlyMap<string, number>, weight = 1): void {
  for (const [concept, activation] of activations) addFeature(vector, conceptFeature(concept), weight * activation);
}

/** Maps accumulated evidence to 0..1 so repeating a word helps less and less. */
export function saturation(evidence: number): number {
  return 1 - Math.exp(-evidence);
}

/** Applies `saturation` to every feature, in place. */
export function saturate(vector: FeatureVector): FeatureVector {
  for (const [feature, evidence] of vector) vector.set(feature, saturation(evidence));
  return vector;
}

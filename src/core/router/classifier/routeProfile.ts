/** What a route is about, as features: its description, name and examples, plus the concepts it excludes. */
import type { RouteCandidate } from '../types';
import { patternConcepts } from './codeSignals';
import { addConcepts, addText, saturate, type FeatureVector } from './features';
import { forEachConceptMention, type Lexicon } from './lexicon';
import { splitNegations } from './negation';
import { contentStems } from './text';

/** The name is a hint, the description is the contract. */
const NAME_WEIGHT = 0.5;

export interface RouteProfile {
  readonly name: string;
  /** Saturated evidence of what the route is about. */
  readonly features: FeatureVector;
  /** Concepts the description excludes ("not about software"), with how strongly. */
  readonly excluded: ReadonlyMap<string, number>;
}

function excludedConcepts(negatedClauses: readonly string[], lexicon: Lexicon): Map<string, number> {
  const excluded = new Map<string, number>();
  for (const clause of negatedClauses) {
    forEachConceptMention(lexicon, contentStems(clause), (concept, weight) =>
      excluded.set(concept, Math.max(excluded.get(concept) ?? 0, weight)),
    );
  }
  return excluded;
}

/** Builds the profile of one route; done once per policy load. */
export function routeProfile(route: RouteCandidate, lexicon: Lexicon): RouteProfile {
  const features: FeatureVector = new Map();
  const { positive, negated } = splitNegations(route.description);
  addText(features, lexicon, positive, 1);
  addText(features, lexicon, route.name.replace(/[_.-]+/g, ' '), NAME_WEIGHT);
  const examples = route.examples ?? [];
  const exampleWeight = 1 / Math.sqrt(Math.max(1, examples.length));
  for (const example of examples) {
    addText(features, lexicon, example, exampleWeight);
    addConcepts(features, patternConcepts(example), exampleWeight);
  }
  return { name: route.name, features: saturate(features), excluded: excludedConcepts(negated, lexicon) };
}

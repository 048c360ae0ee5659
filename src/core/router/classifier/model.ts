/**
 * The scoring model: a bilinear match between request evidence and route-description columns.
 *
 *   score(request, route) = Σ θ[param] · value · routeColumn(route)   over the request's design terms
 *
 * A design term says "this much evidence of X (value) meets whatever the route's description has in column
 * C, weighted by parameter P". Every parameter is about concepts and evidence kinds, never about a route
 * name, so the same fitted weights serve any route set. The score is linear in θ, which is what lets
 * `scripts/classifier/fit.ts` learn θ by multinomial logistic regression over routes; training and
 * inference share `requestDesign`, so they cannot drift apart.
 */
import { conceptFeature, wordFeature, type FeatureVector } from './features';
import { EVIDENCE_SOURCES, type RequestEvidence } from './requestFeatures';
import type { RouteProfile } from './routeProfile';

/** Parameter name → weight; a missing parameter weighs 0. */
export type ModelWeights = Readonly<Record<string, number>>;

/** One term of the request side: `value` of evidence, weighted by `param`, against route column `column`. */
export interface DesignTerm {
  readonly param: string;
  readonly column: string;
  readonly value: number;
}

/**
 * Broad intents and domains whose evidence may pull towards a *different* concept's routes: a question about code leans to "explain" unless it shows
 * an error; a bare code request leans to "create". Narrow topics (food, travel, frontend…) only match
 * themselves, so they stay route-set neutral.
 */
export const CROSS_CONCEPTS = [
  'software', 'create', 'explain', 'error', 'restructure', 'test', 'shell', 'database', 'docs', 'everyday',
] as const;

/** Concepts broad enough that the shared route sets teach something about them; narrow ones keep the shared scale. */
const BROAD: ReadonlySet<string> = new Set(CROSS_CONCEPTS);

/**
 * Score bonus (log-odds) of the default route. Fixed, not fitted: in the shared policies the default is also
 * the route that excludes software, so the data cannot tell a default prior from the exclusion pull.
 */
const DEFAULT_PRIOR = 0.5;

/**
 * What a request-shape feature (phrasing cue, selection, length) may pull towards: only the four programming
 * intents, which keeps the number of fitted weights small (wider targets overfit in cross-validation).
 */
const INTENTS = ['create', 'explain', 'error', 'restructure'] as const;

/** Power applied to a route's concept evidence: above 1, concepts a description names once in passing fade. */
const CONCEPT_SHARPNESS = 2;
/** Power of the inverse route frequency: features shared by many routes count less. */
const IDF_POWER = 2;

/** Route columns share the names of route-profile features, plus `excluded:<concept>` and `default`. */
const conceptColumn = conceptFeature;
const wordColumn = wordFeature;
const excludedColumn = (concept: string): string => `excluded:${concept}`;
export const DEFAULT_COLUMN = 'default';

/**
 * The request's design terms. `excludable` are concepts some route's description excludes
 * ("not about software"): the request says how much (`present`) or how little (`absent`) it shows of each.
 */
export function requestDesign(evidence: RequestEvidence, excludable: readonly string[]): DesignTerm[] {
  const terms: DesignTerm[] = [];
  for (const source of EVIDENCE_SOURCES) {
    for (const [concept, value] of evidence.sources[source]) {
      terms.push({ param: `source:${source}`, column: conceptColumn(concept), value });
      if (BROAD.has(concept)) terms.push({ param: `concept:${concept}`, column: conceptColumn(concept), value });
    }
  }
  for (const row of CROSS_CONCEPTS) {
    const value = evidence.total.get(row) ?? 0;
    if (value === 0) continue;
    for (const target of CROSS_CONCEPTS) {
      if (target !== row) terms.push({ param: `cross:${row}>${target}`, column: conceptColumn(target), value });
    }
  }
  for (const [row, value] of evidence.shape) {
    if (value === 0) continue;
    for (const target of INTENTS) terms.push({ param: `cross:${row}>${target}`, column: conceptColumn(target), value });
  }
  for (const [stem, value] of evidence.words) terms.push({ param: 'word', column: wordColumn(stem), value });
  for (const concept of excludable) {
    const shown = evidence.total.get(concept) ?? 0;
    terms.push({ param: 'absent', column: excludedColumn(concept), value: 1 - shown });
    if (shown > 0) terms.push({ param: 'present', column: excludedColumn(concept), value: shown });
  }
  return terms;
}

/**
 * Rarer features discriminate better, and a feature every route has decides nothing (weight 0): otherwise
 * a weight learned where "software" separates routes would swamp a route set that is all about software.
 */
function inverseRouteFrequency(profiles: readonly RouteProfile[]): Map<string, number> {
  const frequency = new Map<string, number>();
  for (const profile of profiles) for (const feature of profile.features.keys()) frequency.set(feature, (frequency.get(feature) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const [feature, count] of frequency) idf.set(feature, Math.pow(Math.log(profiles.length / count), IDF_POWER));
  return idf;
}

/**
 * One route's columns. Words and concepts are length-normalized separately (unit norm each), so a long,
 * wordy description does not dilute the concepts it names and every route is on the same scale.
 */
export function routeColumns(profile: RouteProfile, idf: ReadonlyMap<string, number>, isDefault: boolean): FeatureVector {
  const columns: FeatureVector = new Map();
  let wordSquares = 0;
  let conceptSquares = 0;
  for (const [feature, evidence] of profile.features) {
    const isWord = feature.startsWith('word:');
    const weight = Math.pow(evidence, isWord ? 1 : CONCEPT_SHARPNESS) * (idf.get(feature) ?? 0);
    columns.set(feature, weight);
    if (isWord) wordSquares += weight * weight;
    else conceptSquares += weight * weight;
  }
  const wordScale = wordSquares > 0 ? 1 / Math.sqrt(wordSquares) : 0;
  const conceptScale = conceptSquares > 0 ? 1 / Math.sqrt(conceptSquares) : 0;
  for (const [feature, weight] of columns) columns.set(feature, weight * (feature.startsWith('word:') ? wordScale : conceptScale));
  for (const [concept, strength] of profile.excluded) columns.set(excludedColumn(concept), strength);
  if (isDefault) columns.set(DEFAULT_COLUMN, DEFAULT_PRIOR);
  return columns;
}

/** Every route's columns, with idf computed over this route set. */
export function routeSetColumns(profiles: readonly RouteProfile[], defaultRoute: string | undefined): FeatureVector[] {
  const idf = inverseRouteFrequency(profiles);
  return profiles.map((profile) => routeColumns(profile, idf, profile.name === defaultRoute));
}

/** Concepts some route excludes; requests get `absent`/`present` terms for each. */
export function excludableConcepts(profiles: readonly RouteProfile[]): string[] {
  return [...new Set(profiles.flatMap((profile) => [...profile.excluded.keys()]))];
}

/**
 * Collapses design terms into one weight per route column: θ applied once per request, not once per route.
 * The default column carries the fixed prior on the route side, so it enters with weight 1.
 */
export function projectDesign(terms: readonly DesignTerm[], weights: ModelWeights): FeatureVector {
  const projected: FeatureVector = new Map([[DEFAULT_COLUMN, 1]]);
  for (const { param, column, value } of terms) {
    const weight = weights[param];
    if (weight === undefined || weight === 0) continue;
    projected.set(column, (projected.get(column) ?? 0) + weight * value);
  }
  return projected;
}

/** Inverted index from features to weighted routes, so scoring costs one pass over the request's features. */
import { absenceFeature, conceptFeature, type FeatureVector } from './features';
import type { RouteProfile } from './routeProfile';
import type { ClassifierSettings } from './settings';

interface Postings {
  routes: number[];
  weights: number[];
}

export interface FeatureContribution {
  feature: string;
  contribution: number;
}

export interface RouteIndex {
  readonly names: readonly string[];
  /** Concepts some route excludes; requests get an `absent:` feature for each. */
  readonly excludedConcepts: readonly string[];
  /** Adds every route's match score for `request` into `scores` (one slot per route). */
  accumulate(request: FeatureVector, scores: Float64Array): void;
  /** The features that most raised one route's score, largest first. */
  contributions(request: FeatureVector, route: number, limit: number): FeatureContribution[];
}

function isWord(feature: string): boolean {
  return feature.startsWith('word:');
}

/** Rarer features discriminate better: a concept every route mentions decides nothing. */
function inverseRouteFrequency(profiles: readonly RouteProfile[], settings: ClassifierSettings): Map<string, number> {
  const frequency = new Map<string, number>();
  for (const profile of profiles) for (const feature of profile.features.keys()) frequency.set(feature, (frequency.get(feature) ?? 0) + 1);
  const idf = new Map<string, number>();
  for (const [feature, count] of frequency) idf.set(feature, Math.pow(Math.log(1 + profiles.length / count), settings.idfPower));
  return idf;
}

/**
 * One route's weight per feature. Words and concepts are length-normalized separately, so a long,
 * wordy description does not dilute the concepts it names.
 */
function routeWeights(profile: RouteProfile, idf: ReadonlyMap<string, number>, settings: ClassifierSettings): Map<string, number> {
  const weights = new Map<string, number>();
  let wordSquares = 0;
  let conceptSquares = 0;
  for (const [feature, evidence] of profile.features) {
    const weight = Math.pow(evidence, isWord(feature) ? 1 : settings.conceptSharpness) * (idf.get(feature) ?? 0);
    weights.set(feature, weight);
    if (isWord(feature)) wordSquares += weight * weight;
    else conceptSquares += weight * weight;
  }
  const scale = (squares: number) => (squares > 0 ? Math.pow(squares, -settings.normExponent / 2) : 0);
  const wordScale = settings.wordScale * scale(wordSquares);
  const conceptScale = scale(conceptSquares);
  for (const [feature, weight] of weights) weights.set(feature, weight * (isWord(feature) ? wordScale : conceptScale));
  for (const [concept, strength] of profile.excluded) {
    const pull = strength * settings.exclusionWeight;
    weights.set(conceptFeature(concept), (weights.get(conceptFeature(concept)) ?? 0) - pull);
    weights.set(absenceFeature(concept), pull);
  }
  return weights;
}

/** Precomputes per-route feature weights (idf, length normalization, exclusions) and their inverted index. */
export function buildRouteIndex(profiles: readonly RouteProfile[], settings: ClassifierSettings): RouteIndex {
  const idf = inverseRouteFrequency(profiles, settings);
  const perRoute = profiles.map((profile) => routeWeights(profile, idf, settings));
  const postings = new Map<string, Postings>();
  perRoute.forEach((weights, route) => {
    for (const [feature, weight] of weights) {
      let list = postings.get(feature);
      if (!list) postings.set(feature, (list = { routes: [], weights: [] }));
      list.routes.push(route);
      list.weights.push(weight);
    }
  });
  const excludedConcepts = [...new Set(profiles.flatMap((profile) => [...profile.excluded.keys()]))];

  return {
    names: profiles.map((profile) => profile.name),
    excludedConcepts,
    accumulate(request, scores) {
      for (const [feature, value] of request) {
        const list = postings.get(feature);
        if (!list) continue;
        for (let i = 0; i < list.routes.length; i++) scores[list.routes[i]] += value * list.weights[i];
      }
    },
    contributions(request, route, limit) {
      const weights = perRoute[route];
      const found: FeatureContribution[] = [];
      for (const [feature, value] of request) {
        const contribution = value * (weights.get(feature) ?? 0);
        if (contribution > 0) found.push({ feature, contribution });
      }
      return found.sort((a, b) => b.contribution - a.contribution).slice(0, limit);
    },
  };
}

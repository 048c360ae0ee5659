/**
 * The in-process route classifier (stage 2 of the router): a lexical model over word stems and a general
 * programming-intent vocabulary, matched against each route's description, name and examples.
 */
import type { OmniRequest } from '../../request';
import type { ClassifierResult, LocalClassifier, RouteCandidate } from '../types';
import { softmax } from './calibration';
import { compileLexicon, type Lexicon } from './lexicon';
import { requestFeatures } from './requestFeatures';
import { buildRouteIndex, type FeatureContribution } from './routeIndex';
import { routeProfile } from './routeProfile';
import { DEFAULT_SETTINGS, type ClassifierSettings } from './settings';

export type { FeatureContribution } from './routeIndex';
export type { ClassifierSettings } from './settings';

/** A classifier result with the features that drove the pick, for the routing log. */
export interface ExplainedClassifierResult extends ClassifierResult {
  evidence: FeatureContribution[];
}

export interface ExplainingClassifier extends LocalClassifier {
  classify(request: OmniRequest): ExplainedClassifierResult;
}

export interface LocalClassifierOptions {
  /** Route to lean to when the evidence is weak (a prior, not an override). */
  defaultRoute?: string;
  /** Overrides of the scoring constants, for benchmarks and tuning. */
  settings?: Partial<ClassifierSettings>;
}

const EVIDENCE_LIMIT = 5;

let sharedLexicon: Lexicon | undefined;

/** The vocabulary is the same for every policy, so it is compiled once per process. */
function lexicon(): Lexicon {
  return (sharedLexicon ??= compileLexicon());
}

/** Precomputes everything about `routes` once and returns a fast classifier for requests. */
export function createLocalClassifier(
  routes: readonly RouteCandidate[],
  options: LocalClassifierOptions = {},
): ExplainingClassifier {
  if (routes.length === 0) throw new Error('createLocalClassifier needs at least one route');
  const settings: ClassifierSettings = { ...DEFAULT_SETTINGS, ...options.settings };
  const profiles = routes.map((route) => routeProfile(route, lexicon()));
  const index = buildRouteIndex(profiles, settings);
  const priors = new Float64Array(routes.length);
  const defaultIndex = routes.findIndex((route) => route.name === options.defaultRoute);
  if (defaultIndex >= 0) priors[defaultIndex] = settings.defaultPrior;
  const order = routes.map((_, i) => i);

  return {
    classify(request) {
      const features = requestFeatures(request, lexicon(), index.excludedConcepts, settings.dependencyFloor);
      const raw = Float64Array.from(priors);
      index.accumulate(features, raw);
      const probabilities = softmax(raw, settings.temperature);
      const ranked = order.slice().sort((a, b) => probabilities[b] - probabilities[a] || a - b);
      const best = ranked[0];
      return {
        route: index.names[best],
        confidence: probabilities[best],
        scores: ranked.map((i) => ({ route: index.names[i], score: probabilities[i] })),
        evidence: index.contributions(features, best, EVIDENCE_LIMIT),
      };
    },
  };
}

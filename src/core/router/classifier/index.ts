/**
 * The in-process route classifier (stage 2 of the router): request evidence (word stems, a general
 * programming-intent and everyday-topic vocabulary, code patterns, editor facts) matched against each
 * route's description, name and examples by a model whose few route-independent weights were fitted
 * offline (`scripts/classifier/fit.ts` → `weights.ts`).
 */
import type { OmniRequest } from '../../request';
import type { ClassifierResult, LocalClassifier, RouteCandidate } from '../types';
import { softmax } from './calibration';
import { compileLexicon, type Lexicon } from './lexicon';
import { excludableConcepts, projectDesign, requestDesign, routeSetColumns, type ModelWeights } from './model';
import { requestEvidence } from './requestFeatures';
import { buildRouteIndex } from './routeIndex';
import { routeProfile } from './routeProfile';
import { FITTED_TEMPERATURE, FITTED_WEIGHTS } from './weights';

export type { FeatureContribution } from './routeIndex';
export type { ModelWeights } from './model';

/** A classifier result with the features that drove the pick, for the routing log. */
export interface ExplainedClassifierResult extends ClassifierResult {
  evidence: import('./routeIndex').FeatureContribution[];
}

export interface ExplainingClassifier extends LocalClassifier {
  classify(request: OmniRequest): ExplainedClassifierResult;
}

export interface LocalClassifierOptions {
  /** Route to lean to when the evidence is weak (a prior, not an override). */
  defaultRoute?: string;
  /** Model weights other than the fitted ones; only the fitting script and experiments pass this. */
  weights?: ModelWeights;
  /** Softmax temperature for `weights`; defaults to the fitted one with the fitted weights, else 1. */
  temperature?: number;
}

const EVIDENCE_LIMIT = 5;

let sharedLexicon: Lexicon | undefined;

/** The vocabulary is the same for every policy, so it is compiled once per process. */
export function lexicon(): Lexicon {
  return (sharedLexicon ??= compileLexicon());
}

/** Precomputes everything about `routes` once and returns a fast classifier for requests. */
export function createLocalClassifier(
  routes: readonly RouteCandidate[],
  options: LocalClassifierOptions = {},
): ExplainingClassifier {
  if (routes.length === 0) throw new Error('createLocalClassifier needs at least one route');
  const weights = options.weights ?? FITTED_WEIGHTS;
  const temperature = options.temperature ?? (options.weights ? 1 : FITTED_TEMPERATURE);
  const profiles = routes.map((route) => routeProfile(route, lexicon()));
  const columns = routeSetColumns(profiles, options.defaultRoute);
  const index = buildRouteIndex(columns);
  const excludable = excludableConcepts(profiles);
  const names = routes.map((route) => route.name);
  const order = routes.map((_, i) => i);

  return {
    classify(request) {
      const projected = projectDesign(requestDesign(requestEvidence(request, lexicon()), excludable), weights);
      const raw = new Float64Array(routes.length);
      index.accumulate(projected, raw);
      // The weights are log-odds fitted on training items, which they fit better than new requests: the
      // out-of-fold temperature widens the softmax so confidence matches accuracy on unseen requests.
      const probabilities = softmax(raw, temperature);
      const ranked = order.slice().sort((a, b) => probabilities[b] - probabilities[a] || a - b);
      const best = ranked[0];
      return {
        route: names[best],
        confidence: probabilities[best],
        scores: ranked.map((i) => ({ route: names[i], score: probabilities[i] })),
        evidence: index.contributions(projected, best, EVIDENCE_LIMIT),
      };
    },
  };
}

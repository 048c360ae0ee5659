/** Shapes shared by the router's stages. */
import type { OmniRequest } from '../request';

/**
 * Which stage of the router settled the route. `override` is a user's explicit model choice; `conversation` is a
 * follow-up that kept the conversation's route over the router's (less confident) pick.
 */
export type DecisionStage = 'rule' | 'local' | 'arch-router' | 'default' | 'override' | 'conversation';

/** A route as the classifiers see it: never the model, only what the route is for. */
export interface RouteCandidate {
  name: string;
  description: string;
  examples?: readonly string[];
}

export interface RouteScore {
  route: string;
  score: number;
}

export interface ClassifierResult {
  route: string;
  /** Calibrated probability that `route` is right, 0..1. */
  confidence: number;
  /** Every route's score, best first. */
  scores: RouteScore[];
}

/** Scores a request against a fixed set of routes, in-process and without network. */
export interface LocalClassifier {
  classify(request: OmniRequest): ClassifierResult;
}

export interface RoutingDecision {
  route: string;
  /** Alias of the model in the policy's `models`. */
  model: string;
  /** Model aliases to try after `model`, in order, without duplicates. */
  fallbacks: string[];
  stage: DecisionStage;
  /** One sentence a person can read: why this route. */
  reason: string;
  confidence?: number;
  /** Time the router took to decide. */
  latencyMs: number;
  /** Local classifier scores, best first, when it ran. */
  scores?: RouteScore[];
  /** 1-based rule number when a rule decided. */
  rule?: number;
  /** Set when a follow-up moved the conversation off the model it used before (never silently). */
  switchedFrom?: string;
  /** Set when a follow-up kept the conversation's earlier route: the route the router itself picked for it. */
  routerPick?: string;
  /** What happened with Arch-Router, when it was asked. */
  archRouter?: { latencyMs: number; route?: string; error?: string };
}

/** Decides the route of a request. Never rejects for router failures: they become a decision with a reason. */
export interface Router {
  decide(request: OmniRequest, options?: { signal?: AbortSignal }): Promise<RoutingDecision>;
}

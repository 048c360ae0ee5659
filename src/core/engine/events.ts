/** What `answer` tells its caller, in order: a decision first, then tokens, notes about failover, and one ending. */
import type { ProviderErrorKind, TokenUsage } from '../providers/types';
import type { RoutingDecision } from '../router/types';
import type { Spend } from './cost';

/** Why a model did not answer: a provider failure, or a reason Omni skipped it. */
export type AttemptCause = ProviderErrorKind | 'circuit-open' | 'provider-excluded' | 'local-only';

/** One model that was tried and failed, or skipped. */
export interface Attempt {
  /** Model alias from the policy. */
  model: string;
  provider: string;
  cause: AttemptCause;
  /** What happened, in words a user can act on. */
  message: string;
  /** True when Omni did not send the request at all. */
  skipped: boolean;
  status?: number;
  /** What the user does about it, when the provider's error says (a key to set or replace). */
  fix?: string;
  /** Characters (answer and reasoning) already streamed before the failure; the next model starts over. */
  partialChars?: number;
}

/** The model that answers first, shown before any token. */
export interface DecisionEvent {
  type: 'decision';
  decision: RoutingDecision;
  /** Alias of the model tried first: the decision's model unless the circuit breaker skipped it. */
  model: string;
  displayName: string;
  provider: string;
  /** The decision's reason, plus any skip. */
  reason: string;
}

/** A model failed; another takes over and answers the whole request again. */
export interface FallbackEvent {
  type: 'fallback';
  from: string;
  to: string;
  cause: AttemptCause;
  /** `from`'s failure in words a user can act on ("…not found; … ollama pull llama3.2:3b"). */
  message: string;
  /** `from`'s failure and what happens next, as one sentence. */
  reason: string;
  /** True when `from` had already streamed text: the caller should clear it. */
  partialDiscarded: boolean;
  /** Models passed over between `from` and `to`, and why. */
  skipped: Attempt[];
}

/** Omni waits for a rate limit's short Retry-After and asks the same model once more. */
export interface RetryEvent {
  type: 'retry';
  model: string;
  waitMs: number;
  /** The model's failure in words a user can act on. */
  message: string;
  reason: string;
}

/** The answer is complete. */
export interface DoneEvent {
  type: 'done';
  route: string;
  /** Alias of the model that answered. */
  model: string;
  displayName: string;
  provider: string;
  /** The provider's model id. */
  providerModel: string;
  /** The answer without reasoning. */
  text: string;
  /** Every model call of the answer that produced tokens: this model's, plus any partial answer discarded on failover. */
  usage: TokenUsage;
  /** From the policy's price table; 0 for a model without a price (e.g. local), which `priced` tells apart from free. */
  costUsd: number;
  /** False when a model of `usage` has no price, so `costUsd` is not the whole cost. */
  priced: boolean;
  /** Why the answer may be cut short (the model's output limit, a content filter); absent when it ended on its own. */
  incomplete?: string;
  /** Which earlier turns were left out to fit this model's `contextWindow`; absent when the whole conversation was sent. */
  trimmed?: string;
  /** From the start of `answer` to the first streamed text, routing and failed attempts included. */
  timeToFirstTokenMs: number;
  totalMs: number;
  /** Models that failed or were skipped before this one answered. */
  attempts: Attempt[];
}

/** No model answered, or the caller cancelled. */
export interface ErrorEvent {
  type: 'error';
  message: string;
  cancelled: boolean;
  /** For a cancellation: whether a model had the request when it was stopped, so its tokens count. */
  asked?: boolean;
  /** For a cancellation: partial answers of earlier models, discarded on failover, whose tokens count too. */
  discarded?: Spend;
  attempts: Attempt[];
}

export type AnswerEvent =
  | DecisionEvent
  | { type: 'token'; text: string }
  /** `replacesAnswer`: the tokens streamed so far were reasoning; drop them from the answer, this text repeats them. */
  | { type: 'reasoning'; text: string; replacesAnswer?: true }
  | RetryEvent
  | FallbackEvent
  | { type: 'usage'; usage: TokenUsage }
  | DoneEvent
  | ErrorEvent;

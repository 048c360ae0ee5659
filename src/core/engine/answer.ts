/**
 * Answers one request: asks the router, announces the model, streams the answer, and fails over to the next model
 * when a provider refuses, rate-limits, errors, stays silent or breaks mid-stream.
 */
import { displayName } from '../policy/modelNames';
import type { Policy } from '../policy/schema';
import { ProviderError, type ProviderErrorKind, type ProviderRegistry } from '../providers/types';
import type { OmniRequest } from '../request';
import type { Router, RoutingDecision } from '../router/types';
import { streamAttempt, type AttemptLimits, type AttemptOutcome } from './attempt';
import { CandidateQueue, candidateOrder, defaultDecision, lookUp, overrideDecision, privacyRefusal } from './candidates';
import { createCircuitBreaker, type CircuitBreaker } from './circuitBreaker';
import { addSpend, estimateUsage, spendOn, type Spend } from './cost';
import type { AnswerEvent, Attempt, DecisionEvent, DoneEvent, FallbackEvent } from './events';
import { incompleteNote } from './finish';
import { modelMessages, trimmedNote, type ModelPrompt } from './prompt';
import { linkedController, sleep, within } from './timing';

export interface AnswerDeps {
  policy: Policy;
  router: Router;
  providers: ProviderRegistry;
  /** Cancels the router call and the model call at once. */
  signal?: AbortSignal;
  /** Milliseconds; injectable for tests. Default `Date.now`. */
  clock?: () => number;
  /** Share one across answers so a failing model is skipped for its cool-down. */
  breaker?: CircuitBreaker;
  /** Longest wait for a model's first token before trying the next; default 20 s. */
  firstTokenTimeoutMs?: number;
  /** Longest silence mid-stream before trying the next model; default 30 s. */
  stallTimeoutMs?: number;
  /** Where the user changes those two limits, named in timeout messages. */
  timeoutSettings?: AttemptLimits['settings'];
  /**
   * Where the user edits a model's entry, named by the note on trimmed turns and the advice for a conversation too
   * long: the file `omni ask` loaded, say; default `.omni/policies.json`, the workspace folder's.
   */
  policyFile?: string;
  /** An explicit model choice (alias or provider model id): skips the router. `route`: the route to show for it. */
  override?: { model: string; route?: string };
}

export const FIRST_TOKEN_TIMEOUT_MS = 20_000;
export const STALL_TIMEOUT_MS = 30_000;
/** The range the user may set those two limits to, as a setting or a CLI option: under a second no model answers. */
export const MODEL_TIMEOUT_RANGE_MS = { min: 1000, max: 600_000 } as const;
/** A rate limit or 503 that asks for at most this long is waited out once; a longer one moves on to the next model. */
const MAX_RETRY_AFTER_SECONDS = 2;
/** The router enforces `router.timeoutMs` itself; twice that only catches a router that does not. */
const ROUTER_BOUND_FACTOR = 2;
/** Failures that say something about the endpoint's health, as opposed to Omni's settings. */
const BREAKER_KINDS: ReadonlySet<ProviderErrorKind> = new Set(['connection', 'server', 'timeout', 'rate-limit', 'protocol']);

class Cancelled extends Error {}

/** The answer to `request` as a stream of events: `decision` first, `done` or `error` last. */
export async function* answer(request: OmniRequest, deps: AnswerDeps): AsyncGenerator<AnswerEvent> {
  const { policy, signal } = deps;
  const clock = deps.clock ?? Date.now;
  const started = clock();
  const breaker = deps.breaker ?? createCircuitBreaker({ clock });
  const limits = {
    firstTokenTimeoutMs: deps.firstTokenTimeoutMs ?? FIRST_TOKEN_TIMEOUT_MS,
    stallTimeoutMs: deps.stallTimeoutMs ?? STALL_TIMEOUT_MS,
    settings: deps.timeoutSettings,
  };
  const attempts: Attempt[] = [];
  /** Tokens of attempts that failed after streaming part of an answer: generated, so paid for, though discarded. */
  let discarded: Spend | undefined;
  const cancelled = (asked: boolean) => ({ type: 'error' as const, message: 'cancelled', cancelled: true, asked, attempts, ...(discarded ? { discarded } : {}) });

  let decision: RoutingDecision;
  if (deps.override) {
    // The route is the request's, not the model's: the router still names it (a retry already knows it), so the tag
    // and a routing example saved from the answer say where the request belongs.
    let routed: RoutingDecision | undefined;
    if (deps.override.route === undefined) {
      try {
        routed = await decide(deps.router, request, policy, signal, clock);
      } catch {
        yield cancelled(false);
        return;
      }
    }
    const chosen = overrideDecision(policy, deps.override.model, deps.override.route ?? routed?.route, routed);
    if (!chosen) {
      const known = Object.keys(policy.models).join(', ');
      yield { type: 'error', message: `model "${deps.override.model}" is not in the policy: use one of ${known}`, cancelled: false, attempts };
      return;
    }
    decision = chosen;
  } else {
    try {
      decision = await decide(deps.router, request, policy, signal, clock);
    } catch {
      yield cancelled(false);
      return;
    }
  }

  const chosen = deps.override ? decision.model : undefined;
  const queue = new CandidateQueue(policy, candidateOrder(policy, decision), breaker, privacyRefusal(policy, request, deps.providers), chosen);
  let { model: current, skipped } = queue.next();
  attempts.push(...skipped);
  yield decisionEvent(policy, decision, current ?? decision.model, skipped);

  /** Models asked again after a short Retry-After, with the seconds waited. */
  const retried = new Map<string, number>();
  while (current) {
    const model = current;
    const entry = policy.models[model];
    const { messages, trimmed } = modelMessages(request, entry);
    const provider = lookUp(deps.providers, entry.provider);
    const outcome: AttemptOutcome = provider instanceof ProviderError
      ? { ok: false, error: provider, partialText: '' }
      : yield* streamAttempt(provider, callFor(entry, messages, deps.policyFile), signal, limits, clock);

    if (outcome.ok) {
      breaker.recordSuccess(model);
      const spend = addSpend(spendOn(policy, model, outcome.usage ?? estimateUsage(messages, outcome.text + outcome.reasoning)), discarded);
      yield { type: 'usage', usage: spend.usage };
      const times = { started, firstOutputAt: outcome.firstOutputAt, now: clock() };
      const notes = { incomplete: incompleteNote(outcome.finishReason), trimmed: trimmed && trimmedNote(trimmed, displayName(policy, model), deps.policyFile) };
      yield doneEvent(policy, decision.route, model, outcome.text, spend, times, attempts, notes);
      return;
    }

    const { error, partialText } = outcome;
    const partialChars = partialText.length;
    if (error.kind === 'aborted' || signal?.aborted) {
      yield cancelled(!(provider instanceof ProviderError));
      return;
    }
    if (partialChars > 0) discarded = addSpend(spendOn(policy, model, estimateUsage(messages, partialText)), discarded);
    const attempt: Attempt = { model, provider: entry.provider, cause: error.kind, message: error.message, skipped: false, status: error.status, fix: error.fix, partialChars };
    // A model that failed again after the wait is one attempt, not the same line twice in the list the user reads.
    const waited = retried.get(model);
    if (waited !== undefined && attempts.at(-1)?.model === model) attempts[attempts.length - 1] = { ...attempt, message: `${error.message}; asked again after ${waited} s` };
    else attempts.push(attempt);

    const waitSeconds = shortRetryAfter(error);
    if (waitSeconds !== undefined && !retried.has(model)) {
      retried.set(model, waitSeconds);
      yield { type: 'retry', model, waitMs: waitSeconds * 1000, message: error.message, reason: `${model}: ${error.message}; asking again in ${waitSeconds} s` };
      await sleep(waitSeconds * 1000, signal);
      // Stopped while waiting to ask again: the refused request used nothing, and no other one was sent.
      if (signal?.aborted) {
        yield cancelled(false);
        return;
      }
      continue;
    }

    if (BREAKER_KINDS.has(error.kind)) breaker.recordFailure(model);
    if (error.kind === 'auth' || error.kind === 'config') {
      queue.excludeProvider(entry.provider, `provider ${entry.provider} failed for ${model}: ${error.message}`);
    }
    ({ model: current, skipped } = queue.next());
    attempts.push(...skipped);
    if (current) yield fallbackEvent(model, current, error, partialChars, skipped);
  }
  yield { type: 'error', message: noAnswerMessage(attempts), cancelled: false, attempts };
}

/** The router's decision, bounded in time; a failing router falls back to the default route, cancellation throws. */
async function decide(router: Router, request: OmniRequest, policy: Policy, signal: AbortSignal | undefined, clock: () => number): Promise<RoutingDecision> {
  const started = clock();
  const { controller, dispose } = linkedController(signal);
  const boundMs = policy.router.timeoutMs * ROUTER_BOUND_FACTOR;
  try {
    return await within(
      router.decide(request, { signal: controller.signal }),
      boundMs,
      () => new Error(`the router did not decide within ${boundMs} ms`),
      { signal, onAbort: () => new Cancelled() },
    );
  } catch (error) {
    if (error instanceof Cancelled || signal?.aborted) throw new Cancelled();
    return defaultDecision(policy, `router failed (${error instanceof Error ? error.message : String(error)})`, clock() - started);
  } finally {
    controller.abort();
    dispose();
  }
}

/** Seconds to wait before asking the same model again, when it rate-limited or was unavailable with a short Retry-After. */
function shortRetryAfter(error: ProviderError): number | undefined {
  const seconds = error.retryAfterSeconds;
  return (error.kind === 'rate-limit' || error.status === 503) && seconds !== undefined && seconds <= MAX_RETRY_AFTER_SECONDS ? seconds : undefined;
}

function callFor(entry: Policy['models'][string], messages: ModelPrompt['messages'], policyFile: string | undefined) {
  return { model: entry.model, messages, reasoningEffort: entry.reasoningEffort, inferenceProvider: entry.inferenceProvider, contextWindow: entry.contextWindow, policyFile };
}

function decisionEvent(policy: Policy, decision: RoutingDecision, model: string, skipped: Attempt[]): DecisionEvent {
  const entry = policy.models[model];
  // The tag names models as the chat does, so a skipped one is named the same way.
  const skips = skipped.map((attempt) => `; ${displayName(policy, attempt.model)} ${attempt.message}`).join('');
  return { type: 'decision', decision, model, displayName: displayName(policy, model), provider: entry.provider, reason: decision.reason + skips };
}

function doneEvent(
  policy: Policy,
  route: string,
  model: string,
  text: string,
  spend: Spend,
  times: { started: number; firstOutputAt: number; now: number },
  attempts: Attempt[],
  { incomplete, trimmed }: { incomplete?: string; trimmed?: string },
): DoneEvent {
  const entry = policy.models[model];
  return {
    type: 'done',
    route,
    model,
    displayName: displayName(policy, model),
    provider: entry.provider,
    providerModel: entry.model,
    text,
    ...spend,
    ...(incomplete ? { incomplete } : {}),
    ...(trimmed ? { trimmed } : {}),
    timeToFirstTokenMs: times.firstOutputAt - times.started,
    totalMs: times.now - times.started,
    attempts,
  };
}

function fallbackEvent(from: string, to: string, error: ProviderError, partialChars: number, skipped: Attempt[]): FallbackEvent {
  const partialDiscarded = partialChars > 0;
  const skips = skipped.map((attempt) => `; ${attempt.model} ${attempt.message}`).join('');
  const discarded = partialDiscarded ? '; its partial answer is discarded' : '';
  const reason = `${from} failed: ${error.message}${skips}; ${to} answers instead${discarded}`;
  return { type: 'fallback', from, to, cause: error.kind, message: error.message, reason, partialDiscarded, skipped };
}

function noAnswerMessage(attempts: Attempt[]): string {
  const lines = ['no model could answer:', ...attempts.map((attempt) => `  ${attempt.model} (${attempt.provider}): ${attempt.message}`)];
  // Nothing was even tried: only a model on this machine can answer about this file, and the chain has none.
  if (attempts.length > 0 && attempts.every((attempt) => attempt.cause === 'local-only')) {
    lines.push('add a model on this machine (e.g. one with provider "ollama") to the route\'s "fallbacks" in the policy');
  }
  return lines.join('\n');
}

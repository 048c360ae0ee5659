/** Which models an answer may use, in order, and which of them to pass over right now. */
import { localOnlyGuard } from '../policy/privacy';
import type { Policy } from '../policy/schema';
import { ProviderError, type ChatProvider, type ProviderRegistry } from '../providers/types';
import type { OmniRequest } from '../request';
import { modelChain } from '../router/router';
import type { RoutingDecision } from '../router/types';
import type { CircuitBreaker } from './circuitBreaker';
import type { Attempt } from './events';

/**
 * The decision for an explicit model choice (`--model`, the model picker, Retry with…): that model, then the default
 * route's. `route` is the request's (a retry keeps the route its answer had; otherwise `routed`, the router's
 * decision, names it), and `routed`'s reason says how it was found.
 */
export function overrideDecision(policy: Policy, model: string, route?: string, routed?: RoutingDecision): RoutingDecision | undefined {
  const alias = policy.models[model] ? model : Object.keys(policy.models).find((name) => policy.models[name].model === model);
  if (!alias) return undefined;
  const { model: defaultModel } = modelChain(policy, policy.defaultRoute);
  return {
    route: policy.routes.find((candidate) => candidate.name === route)?.name ?? policy.routes.find((candidate) => candidate.model === alias)?.name ?? policy.defaultRoute,
    model: alias,
    fallbacks: defaultModel === alias ? [] : [defaultModel],
    stage: 'override',
    reason: routed ? `model ${alias} chosen explicitly; ${routed.reason}` : `model ${alias} chosen explicitly`,
    ...(routed?.confidence === undefined ? {} : { confidence: routed.confidence }),
    latencyMs: routed?.latencyMs ?? 0,
  };
}

/** The default route's decision, for when the router fails or does not answer in time. */
export function defaultDecision(policy: Policy, why: string, latencyMs: number): RoutingDecision {
  const route = policy.defaultRoute;
  return { ...modelChain(policy, route), route, stage: 'default', reason: `${why}; default route ${route}`, latencyMs, };
}

/** The decision's model, its fallbacks, then the default route's model, each once. */
export function candidateOrder(policy: Policy, decision: RoutingDecision): string[] {
  const { model: defaultModel } = modelChain(policy, policy.defaultRoute);
  return [...new Set([decision.model, ...decision.fallbacks, defaultModel])];
}

/**
 * Why `privacy.localOnly` keeps a model from receiving `request` (undefined = allowed); undefined when the request
 * carries no local-only file. An unknown provider is reported when it is tried; nothing can be sent to it either way.
 */
export function privacyRefusal(policy: Policy, request: OmniRequest, providers: ProviderRegistry): ((model: string) => string | undefined) | undefined {
  const guard = localOnlyGuard(policy, request);
  if (!guard) return undefined;
  return (model) => {
    const provider = lookUp(providers, policy.models[model].provider);
    return provider instanceof ProviderError ? undefined : guard(provider);
  };
}

/** The provider called `name`, or the error that says why there is none (an unknown or broken entry). */
export function lookUp(providers: ProviderRegistry, name: string): ChatProvider | ProviderError {
  try {
    return providers.get(name);
  } catch (error) {
    return error instanceof ProviderError ? error : new ProviderError(name, 'config', error instanceof Error ? error.message : String(error));
  }
}

/**
 * Hands out the next model worth trying, passing over providers that refused Omni's key, models the request's
 * privacy rule forbids (`forbidden` says why), and open circuits — except for `chosen`, a model the user picked by
 * name, which is asked anyway: the circuit is a guess that it is still failing, and the user asked for that model.
 */
export class CandidateQueue {
  private position = 0;
  private readonly excludedProviders = new Map<string, string>();

  constructor(
    private readonly policy: Policy,
    private readonly order: string[],
    private readonly breaker: CircuitBreaker,
    private readonly forbidden?: (model: string) => string | undefined,
    private readonly chosen?: string,
  ) {}

  /** No further model of `provider` is tried in this answer; `why` is told for each one passed over. */
  excludeProvider(provider: string, why: string): void {
    this.excludedProviders.set(provider, why);
  }

  /** The next model to try (undefined when none is left), and the models passed over on the way. */
  next(): { model?: string; skipped: Attempt[] } {
    const skipped: Attempt[] = [];
    while (this.position < this.order.length) {
      const model = this.order[this.position++];
      const provider = this.policy.models[model]?.provider ?? '?';
      const excluded = this.excludedProviders.get(provider);
      const forbidden = excluded ? undefined : this.forbidden?.(model);
      const open = excluded || forbidden || model === this.chosen ? undefined : this.breaker.blocked(model);
      if (excluded) skipped.push({ model, provider, cause: 'provider-excluded', message: `skipped: ${excluded}`, skipped: true });
      else if (forbidden) skipped.push({ model, provider, cause: 'local-only', message: `skipped: ${forbidden}`, skipped: true });
      else if (open) skipped.push({ model, provider, cause: 'circuit-open', message: `skipped: ${open}`, skipped: true });
      else return { model, skipped };
    }
    return { skipped };
  }
}

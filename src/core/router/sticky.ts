/**
 * Conversation stickiness: a follow-up keeps the conversation's model unless the router is confident the request
 * belongs elsewhere (or the user says otherwise). Either way the decision's reason says what happened.
 */
import { modelChain } from './router';
import type { Policy } from '../policy/schema';
import type { Router, RoutingDecision } from './types';

export type Stickiness = 'keep' | 'switch-when-confident' | 'always-route';

export interface StickyOptions {
  stickiness: Stickiness;
  /** In `switch-when-confident`, the confidence at or above which a new route wins. */
  switchConfidence: number;
}

/** What the conversation used last; undefined on a first message. */
export interface PreviousPick {
  route: string;
  model: string;
}

/** Wraps `router` for one follow-up in a conversation that last used `previous`. */
export function withStickiness(router: Router, policy: Policy, previous: PreviousPick | undefined, options: StickyOptions): Router {
  return {
    async decide(request, decideOptions) {
      const decision = await router.decide(request, decideOptions);
      if (!previous || options.stickiness === 'always-route' || !policy.models[previous.model]) return decision;
      if (decision.model === previous.model) return decision;
      // A rule is the user's own explicit instruction, so it always wins. Arch-Router gives no confidence, and it read
      // the whole conversation to pick: its switch is deliberate (else this setting would act as "keep" with it).
      const confident = decision.stage === 'rule' || decision.stage === 'arch-router' || (decision.confidence ?? 0) >= options.switchConfidence;
      if (options.stickiness === 'switch-when-confident' && confident) {
        return { ...decision, switchedFrom: previous.model, reason: `switched from ${previous.model}: ${decision.reason}` };
      }
      const why =
        options.stickiness === 'keep'
          ? 'this conversation keeps its model (setting omni.conversation.stickiness)'
          : decision.confidence === undefined
            ? `the router fell back to ${decision.route}, which is no reason to switch`
            : `the router's pick is not confident enough to switch (${decision.confidence.toFixed(2)} < ${options.switchConfidence}, setting omni.conversation.switchConfidence)`;
      return keep(decision, policy, previous, why);
    },
  };
}

function keep(decision: RoutingDecision, policy: Policy, previous: PreviousPick, why: string): RoutingDecision {
  const chain = policy.routes.some((r) => r.name === previous.route) ? modelChain(policy, previous.route) : { model: previous.model, fallbacks: [] };
  // The router's confidence was for the route it picked, not the kept one; the reason quotes it, with how it picked.
  return {
    ...decision,
    stage: 'conversation',
    confidence: undefined,
    routerPick: decision.route,
    route: previous.route,
    model: previous.model,
    fallbacks: chain.fallbacks.filter((m) => m !== previous.model),
    reason: `kept ${previous.model} from earlier in this conversation: ${why}; the router's pick: ${decision.reason}`,
  };
}

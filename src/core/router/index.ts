/** Builds the router a policy describes; the one entry point the CLI, the extension and the benchmarks use. */
import { localOnlyGuard } from '../policy/privacy';
import type { Policy } from '../policy/schema';
import type { ChatProvider } from '../providers/types';
import { createArchRouterClient } from './archRouter/client';
import { createLocalClassifier } from './classifier';
import { createRouter } from './router';
import type { Router } from './types';

export interface RouterSetup {
  /** Looks up a provider by name; throws an actionable error for unknown names or missing keys. */
  getProvider?: (name: string) => ChatProvider;
  /** Overrides `router.mode`, e.g. `omni eval --mode local`. */
  mode?: Policy['router']['mode'];
  clock?: () => number;
}

export function buildRouter(policy: Policy, setup: RouterSetup = {}): Router {
  const effective: Policy = setup.mode ? { ...policy, router: { ...policy.router, mode: setup.mode } } : policy;
  const { archRouter, timeoutMs } = effective.router;
  const classifier = createLocalClassifier(effective.routes, { defaultRoute: effective.defaultRoute });
  let client: ReturnType<typeof createArchRouterClient> | undefined;
  return createRouter(effective, {
    classifier,
    clock: setup.clock,
    archRouterRefusal: (request) => {
      const guard = localOnlyGuard(effective, request);
      if (!guard || !archRouter || !setup.getProvider) return undefined;
      return guard(setup.getProvider(archRouter.provider));
    },
    archRouter:
      archRouter &&
      (() => {
        if (!setup.getProvider) throw new Error(`no provider "${archRouter.provider}" available to reach Arch-Router`);
        client ??= createArchRouterClient(setup.getProvider(archRouter.provider), {
          model: archRouter.model,
          timeoutMs,
          tokenBudget: archRouter.tokenBudget,
          clock: setup.clock,
        });
        return client;
      }),
  });
}

export type { Router, RoutingDecision } from './types';

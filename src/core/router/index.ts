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
  /** The policy's file as the user edits it (`omni ask --policy F`), named in Arch-Router's errors; default `.omni/policies.json`. */
  policyFile?: string;
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
      let provider: ChatProvider;
      try {
        provider = setup.getProvider(archRouter.provider);
      } catch {
        // Nothing can reach an undefined provider; asking it (below) says what to fix.
        return undefined;
      }
      return guard(provider);
    },
    archRouter:
      archRouter &&
      (() => {
        if (client) return client;
        if (!setup.getProvider) throw new Error(`no provider "${archRouter.provider}" available to reach Arch-Router`);
        let provider: ChatProvider;
        try {
          provider = setup.getProvider(archRouter.provider);
        } catch (error) {
          // The registry's message names the fix but not whose provider it is: the reason must say it is Arch-Router's.
          throw new Error(`Arch-Router not asked (router.archRouter.provider): ${error instanceof Error ? error.message : String(error)}`);
        }
        client = createArchRouterClient(provider, {
          model: archRouter.model,
          timeoutMs,
          tokenBudget: archRouter.tokenBudget,
          policyFile: setup.policyFile,
          clock: setup.clock,
        });
        return client;
      }),
  });
}

export type { Router, RoutingDecision } from './types';

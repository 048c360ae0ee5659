/**
 * The three-stage router: rules → local classifier → Arch-Router, by `router.mode`.
 * Whatever breaks, `decide` resolves with a decision and a sentence saying what happened.
 */
import { latestUserText, type OmniRequest } from '../request';
import type { Policy } from '../policy/schema';
import { createCircuitBreaker } from '../engine/circuitBreaker';
import type { ArchRouterAnswer, ArchRouterClient } from './archRouter/client';
import { compileRules } from './rules';
import type { ClassifierResult, DecisionStage, LocalClassifier, RouteCandidate, Router, RoutingDecision } from './types';

export interface RouterDeps {
  classifier: LocalClassifier;
  /** Resolved lazily so a missing key or unknown provider becomes a reason, not a crash; absent when not configured. */
  archRouter?: () => ArchRouterClient;
  /** Why Arch-Router must not see this request (e.g. a local-only file and a remote router), or undefined. */
  archRouterRefusal?: (request: OmniRequest) => string | undefined;
  clock?: () => number;
}

export function createRouter(policy: Policy, deps: RouterDeps): Router {
  const clock = deps.clock ?? performance.now.bind(performance);
  const matchRule = compileRules(policy.rules);
  const routes: RouteCandidate[] = policy.routes.map(({ name, description, examples }) => ({ name, description, examples }));
  const { mode, confidenceThreshold } = policy.router;
  const confident = (result: ClassifierResult) => result.confidence >= confidenceThreshold;
  // An Arch-Router that keeps failing (down, hanging until router.timeoutMs) is left alone for a while, so neither a
  // chat session nor an eval run waits out the timeout on every request.
  const breaker = createCircuitBreaker({ clock });
  const ARCH = 'arch-router';

  const decision = (
    route: string,
    stage: DecisionStage,
    reason: string,
    started: number,
    extra: Partial<RoutingDecision> = {},
  ): RoutingDecision => ({ ...modelChain(policy, route), route, stage, reason, latencyMs: Math.round((clock() - started) * 100) / 100, ...extra });

  const fromLocal = (result: ClassifierResult, started: number, prefix = '', extra: Partial<RoutingDecision> = {}) =>
    decision(result.route, 'local', `${prefix}local classifier picked ${result.route} (confidence ${result.confidence.toFixed(2)})`, started, {
      confidence: result.confidence,
      scores: result.scores,
      ...extra,
    });

  async function askArch(signal: AbortSignal | undefined, request: OmniRequest): Promise<ArchRouterAnswer | Error> {
    let client: ArchRouterClient;
    try {
      if (!deps.archRouter) throw new Error('router.archRouter is not configured');
      client = deps.archRouter();
    } catch (error) {
      // A setup problem (an undefined provider), not the endpoint's health: no breaker, so every request keeps saying
      // what to fix instead of "failed 3 times in a row".
      return error instanceof Error ? error : new Error(String(error));
    }
    try {
      const answer = await client.route(routes, request, signal);
      breaker.recordSuccess(ARCH);
      return answer;
    } catch (error) {
      if (!signal?.aborted) breaker.recordFailure(ARCH);
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  return {
    async decide(request, options = {}) {
      const started = clock();
      try {
        const rule = matchRule(request.editor);
        if (rule) return decision(rule.rule.route, 'rule', `rule ${rule.number}: ${rule.summary} → ${rule.rule.route}`, started, { rule: rule.number });

        if (latestUserText(request).trim() === '' && !request.editor?.selection?.trim()) {
          return decision(policy.defaultRoute, 'default', `empty request; default route ${policy.defaultRoute}`, started);
        }

        const local = deps.classifier.classify(request);
        if (mode === 'local' || !policy.router.archRouter) return fromLocal(local, started);
        if (mode === 'auto' && confident(local)) return fromLocal(local, started);

        const prefix = mode === 'auto' ? `local classifier unsure (${local.confidence.toFixed(2)}); ` : '';
        // Privacy is no failure of Arch-Router's: it was not asked, and eval does not count it.
        const refusal = deps.archRouterRefusal?.(request);
        if (refusal) return fromLocal(local, started, `${prefix}Arch-Router not asked: ${refusal}; `);
        const blocked = breaker.blocked(ARCH);
        if (blocked) return fromLocal(local, started, `${prefix}Arch-Router ${blocked}; `, { archRouter: { latencyMs: 0, error: `skipped: ${blocked}` } });
        const answer = await askArch(options.signal, request);
        if (answer instanceof Error) {
          if (options.signal?.aborted) throw answer;
          const archRouter = { latencyMs: 'latencyMs' in answer ? Number(answer.latencyMs) : Math.round(clock() - started), error: answer.message };
          return fromLocal(local, started, `${prefix}${answer.message}; `, { archRouter });
        }
        const { verdict, latencyMs } = answer;
        if (verdict.kind === 'route') {
          return decision(verdict.route, 'arch-router', `${prefix}Arch-Router picked ${verdict.route} in ${latencyMs} ms`, started, {
            archRouter: { latencyMs, route: verdict.route },
            scores: local.scores,
          });
        }
        if (verdict.kind === 'no-match') {
          const said = verdict.answered === '' ? 'no route' : `"${verdict.answered}"`;
          return decision(policy.defaultRoute, 'default', `${prefix}Arch-Router answered ${said} in ${latencyMs} ms; default route ${policy.defaultRoute}`, started, {
            archRouter: { latencyMs, route: verdict.answered },
            scores: local.scores,
          });
        }
        return fromLocal(local, started, `${prefix}Arch-Router's answer could not be read; `, {
          archRouter: { latencyMs, error: `unreadable answer: ${verdict.raw.slice(0, 80)}` },
        });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        const message = error instanceof Error ? error.message : String(error);
        return decision(policy.defaultRoute, 'default', `router failed (${message}); default route ${policy.defaultRoute}`, started);
      }
    },
  };
}

/** The route's model, then its fallbacks, then the default route's model, each once. */
export function modelChain(policy: Policy, routeName: string): { model: string; fallbacks: string[] } {
  const route = policy.routes.find((r) => r.name === routeName) ?? policy.routes.find((r) => r.name === policy.defaultRoute);
  if (!route) throw new Error(`route "${routeName}" is not in the policy`);
  const defaultModel = policy.routes.find((r) => r.name === policy.defaultRoute)?.model;
  const chain = [...new Set([route.model, ...(route.fallbacks ?? []), ...(defaultModel ? [defaultModel] : [])])];
  return { model: chain[0], fallbacks: chain.slice(1) };
}

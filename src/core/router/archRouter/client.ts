/** Asks Arch-Router for a route through any ChatProvider, with a hard timeout that holds even if the provider ignores aborts. */
import type { OmniRequest } from '../../request';
import type { ChatProvider } from '../../providers/types';
import type { RouteCandidate } from '../types';
import { readVerdict, type ArchRouterVerdict } from './answer';
import { buildRoutingPrompt, trimConversation } from './prompt';

export interface ArchRouterOptions {
  /** The provider's model id, e.g. `katanemo/Arch-Router-1.5B`. */
  model: string;
  timeoutMs: number;
  tokenBudget: number;
  /** The policy file that sets `router.archRouter`, named when the routing prompt is refused as too long. */
  policyFile?: string;
  clock?: () => number;
}

export interface ArchRouterAnswer {
  verdict: ArchRouterVerdict;
  latencyMs: number;
}

/** Why the router call gave no verdict, phrased for the decision's reason. */
export class ArchRouterError extends Error {
  constructor(
    readonly kind: 'timeout' | 'failed' | 'aborted',
    message: string,
    readonly latencyMs: number,
  ) {
    super(message);
    this.name = 'ArchRouterError';
  }
}

export interface ArchRouterClient {
  route(routes: readonly RouteCandidate[], request: OmniRequest, signal?: AbortSignal): Promise<ArchRouterAnswer>;
}

export function createArchRouterClient(provider: ChatProvider, options: ArchRouterOptions): ArchRouterClient {
  const clock = options.clock ?? performance.now.bind(performance);
  return {
    async route(routes, request, signal) {
      const started = clock();
      const elapsed = () => Math.round(clock() - started);
      const prompt = buildRoutingPrompt(routes, trimConversation(request, options.tokenBudget));
      const controller = new AbortController();
      const onAbort = () => controller.abort(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort(new Error('timeout'));
          reject(new ArchRouterError('timeout', `Arch-Router timed out after ${options.timeoutMs} ms`, elapsed()));
        }, options.timeoutMs);
      });
      try {
        if (signal?.aborted) throw new ArchRouterError('aborted', 'the request was cancelled', 0);
        const call = provider.complete({
          model: options.model,
          messages: [{ role: 'user', content: prompt }],
          temperature: 0,
          maxTokens: 16,
          routingTokenBudget: options.tokenBudget,
          policyFile: options.policyFile,
          signal: controller.signal,
        });
        const result = await Promise.race([call, deadline]);
        return { verdict: readVerdict(result.text, routes.map((r) => r.name)), latencyMs: elapsed() };
      } catch (error) {
        if (error instanceof ArchRouterError) throw error;
        if (signal?.aborted) throw new ArchRouterError('aborted', 'the request was cancelled', elapsed());
        const message = error instanceof Error ? error.message : String(error);
        throw new ArchRouterError('failed', `Arch-Router failed (${message})`, elapsed());
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      }
    },
  };
}

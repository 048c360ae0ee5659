/**
 * Fault injection through the real router and engine: requests against loopback fake providers where every model
 * (and the Arch-Router call) gets a fault drawn from a seeded PRNG. Shared by `faults.test.ts` (asserts) and
 * `bench/faults.ts` (prints figures).
 *
 * Each request gets its own policy whose provider model ids carry the request number (`r17-coder`), so the fake
 * servers' per-model behaviours of concurrent requests never mix. Each request also gets a fresh circuit breaker:
 * faults are drawn per request, so a breaker shared across requests would skip a model for failures that belonged to
 * another request's fault, which says nothing about this one.
 */
import { answer } from '../../../src/core/engine/answer';
import { createCircuitBreaker } from '../../../src/core/engine/circuitBreaker';
import type { AnswerEvent, Attempt, DecisionEvent } from '../../../src/core/engine/events';
import { percentile } from '../../../src/core/eval/evaluate';
import { policySchema, type Policy } from '../../../src/core/policy/schema';
import { createProviderRegistry } from '../../../src/core/providers/registry';
import type { ProviderRegistry } from '../../../src/core/providers/types';
import type { OmniRequest } from '../../../src/core/request';
import { buildRouter } from '../../../src/core/router';
import type { Behaviour } from '../../fake-provider/behaviours';
import { closedLoopbackPort, startFakeProvider, type FakeProvider } from '../../fake-provider/server';
import { seededRandom, type Random } from '../../support/random';

/**
 * Short limits, so that a few hundred faulty requests take seconds, not minutes; still wide enough that a healthy
 * model on a busy 2-core CI machine is never mistaken for a stalled one (the faults stall for STALL_MS).
 */
export const LIMITS = { firstTokenTimeoutMs: 800, stallTimeoutMs: 800, routerTimeoutMs: 400 };
/** A request not finished by then counts as hung (and is cancelled, so the run itself always ends). */
export const HUNG_AFTER_MS = 10_000;

/** What one model does for one request. */
export type ModelFault =
  | 'healthy'
  | 'slow-drip'
  | '429-once'
  | '429-storm'
  | '429-retry-after-storm'
  | '5xx'
  | 'reset'
  | 'refused'
  | 'mid-stream-drop'
  | 'first-token-stall'
  | 'mid-stream-stall'
  | 'hang';

/** What the Arch-Router call does for one request. */
export type RouterFault = 'ok' | 'hang' | 'garbage' | '5xx' | 'unknown-route';

/** Faults and their weights; healthy kinds are about 40 %, so some chains have no healthy model at all. */
const MODEL_FAULTS: readonly [ModelFault, number][] = [
  ['healthy', 28], ['slow-drip', 7], ['429-once', 5], ['429-storm', 6], ['429-retry-after-storm', 6], ['5xx', 8], ['reset', 6],
  ['refused', 6], ['mid-stream-drop', 8], ['first-token-stall', 7], ['mid-stream-stall', 6], ['hang', 7],
];
const ROUTER_FAULTS: readonly [RouterFault, number][] = [['ok', 40], ['hang', 15], ['garbage', 15], ['5xx', 15], ['unknown-route', 15]];
/** Faults after which the model still answers within the engine's limits (a short Retry-After is waited out once). */
const ANSWERS: ReadonlySet<ModelFault> = new Set(['healthy', 'slow-drip', '429-once']);
/** Longer than both engine timeouts, so a stall is always cut off. */
const STALL_MS = 3000;

const ALIASES = ['coder', 'coder2', 'general', 'local'] as const;
type Alias = (typeof ALIASES)[number];
/** Providers by alias: `alpha` and `gamma` (openai SDK) and `beta` (Hugging Face SDK); a refused model moves to `down`. */
const PROVIDER: Record<Alias, 'alpha' | 'beta' | 'gamma'> = { coder: 'alpha', coder2: 'beta', general: 'alpha', local: 'gamma' };

const PROMPTS = [
  'write a function that parses a CSV line',
  'fix this bug: my loop never ends',
  'what is the capital of Australia?',
  'suggest a name for my cat',
];

export interface Scenario {
  index: number;
  prompt: string;
  router: RouterFault;
  faults: Record<Alias, ModelFault>;
}

export type Ending = 'done' | 'error' | 'hung';

export interface RequestResult {
  scenario: Scenario;
  /** The models the engine may try, in order: the decision's model and fallbacks, then the default route's model. */
  chain: string[];
  /** At least one model in the chain could answer. */
  healthy: boolean;
  ending: Ending;
  /** The model that answered, when done. */
  answeredBy?: string;
  /** The error event's attempts and message, when it ended in error. */
  attempts: Attempt[];
  errorMessage?: string;
  /** A fallback or a retry happened. */
  failedOver: boolean;
  totalMs: number;
}

export interface FaultRunOptions {
  requests: number;
  seed: number;
  /** Requests in flight at once. */
  concurrency: number;
}

export interface FaultRunReport {
  seed: number;
  results: RequestResult[];
  /** Requests the fake servers still had open after the run (should be none). */
  leftOpen: string[];
  wallMs: number;
}

function weighted<T>(random: Random, table: readonly [T, number][]): T {
  let roll = random.next() * table.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [value, weight] of table) {
    roll -= weight;
    if (roll < 0) return value;
  }
  return table[table.length - 1][0];
}

/** All scenarios up front, from one PRNG, so the draw does not depend on how requests interleave. */
export function drawScenarios(seed: number, count: number): Scenario[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => ({
    index,
    prompt: random.pick(PROMPTS),
    router: weighted(random, ROUTER_FAULTS),
    faults: Object.fromEntries(ALIASES.map((alias) => [alias, weighted(random, MODEL_FAULTS)])) as Record<Alias, ModelFault>,
  }));
}

function modelBehaviour(fault: ModelFault, text: string): Behaviour | undefined {
  switch (fault) {
    case 'healthy':
      return { text, chunks: 4 };
    case 'slow-drip':
      return { text, chunks: 12, chunkDelayMs: 15 };
    case '429-once':
      return { text, chunks: 4, fail: { status: 429, retryAfter: '0.05', times: 1 } };
    case '429-storm':
      return { fail: { status: 429 } };
    case '429-retry-after-storm':
      return { fail: { status: 429, retryAfter: '0.05' } };
    case '5xx':
      return { fail: { status: 503 } };
    case 'reset':
      return { text, dropAfterChunks: 0 };
    case 'refused':
      return undefined;
    case 'mid-stream-drop':
      return { text, chunks: 6, dropAfterChunks: 2 };
    case 'first-token-stall':
      return { text, firstTokenDelayMs: STALL_MS };
    case 'mid-stream-stall':
      return { text, chunks: 4, chunkDelayMs: STALL_MS };
    case 'hang':
      return { hang: true };
  }
}

function routerBehaviour(fault: RouterFault): Behaviour {
  switch (fault) {
    case 'ok':
      return { archRouter: { keywords: { code: ['function', 'bug'] }, route: 'chat' } };
    case 'hang':
      return { hang: true };
    case 'garbage':
      return { text: '¿¿ <|im_end|> {route: ??' };
    case '5xx':
      return { fail: { status: 500 } };
    case 'unknown-route':
      return { archRouter: { route: 'no_such_route' } };
  }
}

const modelId = (scenario: Scenario, name: string) => `r${scenario.index}-${name}`;
const answerText = (scenario: Scenario, alias: Alias) => `answer ${scenario.index} from ${alias}, in several words`;

function policyFor(scenario: Scenario): Policy {
  const model = (alias: Alias) => ({
    provider: scenario.faults[alias] === 'refused' ? 'down' : PROVIDER[alias],
    model: modelId(scenario, alias),
  });
  return policySchema.parse({
    version: 1,
    models: Object.fromEntries(ALIASES.map((alias) => [alias, model(alias)])),
    routes: [
      { name: 'code', description: 'writing, explaining and fixing code', model: 'coder', fallbacks: ['coder2'] },
      { name: 'chat', description: 'questions that are not about software', model: 'general', fallbacks: ['local'] },
    ],
    defaultRoute: 'chat',
    router: { mode: 'arch', timeoutMs: LIMITS.routerTimeoutMs, archRouter: { provider: 'alpha', model: modelId(scenario, 'arch') } },
  });
}

interface Servers {
  alpha: FakeProvider;
  beta: FakeProvider;
  providers: ProviderRegistry;
  close(): Promise<void>;
}

/** Two fake servers (alpha; beta and gamma share the other) and a closed port (`down`). */
async function startServers(): Promise<Servers> {
  const alpha = await startFakeProvider();
  const beta = await startFakeProvider();
  const downPort = await closedLoopbackPort();
  const providers = createProviderRegistry({
    config: {
      providers: {
        alpha: { type: 'openai-compatible', baseURL: alpha.baseURL },
        beta: { type: 'huggingface', baseURL: beta.baseURL },
        gamma: { type: 'openai-compatible', baseURL: beta.baseURL },
        down: { type: 'openai-compatible', baseURL: `http://127.0.0.1:${downPort}/v1` },
      },
    },
    env: { HF_TOKEN: 'hf_fault_run' },
  });
  return { alpha, beta, providers, close: async () => void (await Promise.all([alpha.close(), beta.close()])) };
}

function stage(servers: Servers, scenario: Scenario): void {
  servers.alpha.behave(modelId(scenario, 'arch'), routerBehaviour(scenario.router));
  for (const alias of ALIASES) {
    const behaviour = modelBehaviour(scenario.faults[alias], answerText(scenario, alias));
    if (behaviour) (PROVIDER[alias] === 'alpha' ? servers.alpha : servers.beta).behave(modelId(scenario, alias), behaviour);
  }
}

/** The models `answer` may try for this decision, as the engine orders them (see candidateOrder). */
function chainOf(decision: DecisionEvent, policy: Policy): string[] {
  const defaultModel = policy.routes.find((route) => route.name === policy.defaultRoute)?.model;
  return [...new Set([decision.decision.model, ...decision.decision.fallbacks, ...(defaultModel ? [defaultModel] : [])])];
}

async function runOne(servers: Servers, scenario: Scenario): Promise<RequestResult> {
  stage(servers, scenario);
  const policy = policyFor(scenario);
  const router = buildRouter(policy, { getProvider: (name) => servers.providers.get(name) });
  const request: OmniRequest = { messages: [{ role: 'user', content: scenario.prompt }] };
  const controller = new AbortController();
  const events: AnswerEvent[] = [];
  const started = performance.now();
  const consume = (async () => {
    const stream = answer(request, {
      policy,
      router,
      providers: servers.providers,
      signal: controller.signal,
      breaker: createCircuitBreaker(),
      firstTokenTimeoutMs: LIMITS.firstTokenTimeoutMs,
      stallTimeoutMs: LIMITS.stallTimeoutMs,
    });
    for await (const event of stream) events.push(event);
    return 'finished' as const;
  })();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'hung'>((resolve) => (timer = setTimeout(() => resolve('hung'), HUNG_AFTER_MS)));
  const finished = await Promise.race([consume, deadline]);
  clearTimeout(timer);
  const totalMs = performance.now() - started;
  // A hung request is cancelled so its connections close; nobody waits for it any more.
  if (finished === 'hung') controller.abort();

  const decision = events.find((event): event is DecisionEvent => event.type === 'decision');
  const chain = decision ? chainOf(decision, policy) : [];
  const last = events.at(-1);
  const ending: Ending = finished === 'hung' ? 'hung' : last?.type === 'done' ? 'done' : 'error';
  return {
    scenario,
    chain,
    healthy: chain.some((alias) => ANSWERS.has(scenario.faults[alias as Alias])),
    ending,
    answeredBy: last?.type === 'done' ? last.model : undefined,
    attempts: last?.type === 'error' ? last.attempts : [],
    errorMessage: last?.type === 'error' ? last.message : undefined,
    failedOver: events.some((event) => event.type === 'fallback' || event.type === 'retry'),
    totalMs,
  };
}

/** Whether the fault lets the model answer. */
export function answers(fault: ModelFault): boolean {
  return ANSWERS.has(fault);
}

/** Runs `requests` scenarios, `concurrency` at a time, then checks the servers for requests left open. */
export async function runFaults(options: FaultRunOptions): Promise<FaultRunReport> {
  const scenarios = drawScenarios(options.seed, options.requests);
  const servers = await startServers();
  const started = performance.now();
  try {
    const results: RequestResult[] = new Array(scenarios.length);
    let next = 0;
    const worker = async () => {
      while (next < scenarios.length) {
        const scenario = scenarios[next++];
        results[scenario.index] = await runOne(servers, scenario);
      }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    const wallMs = performance.now() - started;
    const leftOpen: string[] = [];
    for (const server of [servers.alpha, servers.beta]) {
      await server.waitForNoOpenRequests(2000).catch((error: Error) => leftOpen.push(error.message));
    }
    return { seed: options.seed, results, leftOpen, wallMs };
  } finally {
    await servers.close();
  }
}

// ---- figures -----------------------------------------------------------------------------------------------------

export interface FaultFigures {
  requests: number;
  healthy: number;
  answeredWhenHealthy: number;
  unhealthy: number;
  errorsListingEveryAttempt: number;
  hung: number;
  failedOver: number;
  /** Median total time of requests answered without failover, the baseline the added times are measured from. */
  directMedianMs: number;
  addedByFailoverMedianMs: number;
  addedByFailoverP95Ms: number;
  byFault: { fault: string; requests: number; done: number; error: number; hung: number; medianMs: number }[];
}

/** True when the error lists every model of the chain, in its attempts and in its message. */
export function listsEveryAttempt(result: RequestResult): boolean {
  const tried = new Set(result.attempts.map((attempt) => attempt.model));
  return result.ending === 'error' && result.chain.every((alias) => tried.has(alias) && (result.errorMessage ?? '').includes(`${alias} (`));
}

export function figures(report: FaultRunReport): FaultRunReport & FaultFigures {
  const { results } = report;
  const healthy = results.filter((result) => result.healthy);
  const unhealthy = results.filter((result) => !result.healthy);
  const direct = results.filter((result) => result.ending === 'done' && !result.failedOver).map((result) => result.totalMs);
  const failover = results.filter((result) => result.ending === 'done' && result.failedOver).map((result) => result.totalMs);
  const directMedianMs = percentile(direct, 50);
  const group = (label: string, members: RequestResult[]) => ({
    fault: label,
    requests: members.length,
    done: members.filter((result) => result.ending === 'done').length,
    error: members.filter((result) => result.ending === 'error').length,
    hung: members.filter((result) => result.ending === 'hung').length,
    medianMs: percentile(members.map((result) => result.totalMs), 50),
  });
  // By the fault of the model tried first, then by the router's fault.
  const firstFaults = [...new Set(MODEL_FAULTS.map(([fault]) => fault))];
  const byFirstModel = firstFaults.map((fault) =>
    group(`first model: ${fault}`, results.filter((result) => result.chain.length > 0 && result.scenario.faults[result.chain[0] as Alias] === fault)));
  const byRouter = ROUTER_FAULTS.map(([fault]) => group(`router: ${fault}`, results.filter((result) => result.scenario.router === fault)));
  return {
    ...report,
    requests: results.length,
    healthy: healthy.length,
    answeredWhenHealthy: healthy.filter((result) => result.ending === 'done').length,
    unhealthy: unhealthy.length,
    errorsListingEveryAttempt: unhealthy.filter(listsEveryAttempt).length,
    hung: results.filter((result) => result.ending === 'hung').length,
    failedOver: failover.length,
    directMedianMs,
    addedByFailoverMedianMs: percentile(failover, 50) - directMedianMs,
    addedByFailoverP95Ms: percentile(failover, 95) - directMedianMs,
    byFault: [...byFirstModel, ...byRouter].filter((row) => row.requests > 0),
  };
}

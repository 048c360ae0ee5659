// The answering engine end to end: a tiny Router literal, real SDK providers, and the loopback fake provider.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { answer, type AnswerDeps } from '../../src/core/engine/answer';
import { createCircuitBreaker } from '../../src/core/engine/circuitBreaker';
import { costUsd, estimateUsage } from '../../src/core/engine/cost';
import type { AnswerEvent, DoneEvent, ErrorEvent, FallbackEvent } from '../../src/core/engine/events';
import { modelMessages } from '../../src/core/engine/prompt';
import { policySchema, type ModelEntry, type Policy } from '../../src/core/policy/schema';
import { createProviderRegistry } from '../../src/core/providers/registry';
import type { OmniRequest } from '../../src/core/request';
import type { Router, RoutingDecision } from '../../src/core/router/types';
import type { Behaviour } from '../fake-provider/behaviours';
import { closedLoopbackPort, startFakeProvider, type FakeProvider } from '../fake-provider/server';

const request: OmniRequest = { messages: [{ role: 'user', content: 'Write a function that adds two numbers.' }] };

/** Routes everything to `code`: coder, then coder2, then the default route's general. */
const codeDecision: RoutingDecision = {
  route: 'code',
  model: 'coder',
  fallbacks: ['coder2', 'general'],
  stage: 'local',
  reason: 'local classifier picked code (confidence 0.90)',
  latencyMs: 1,
};
const fixedRouter: Router = { decide: async () => codeDecision };

type Alias = 'coder' | 'coder2' | 'general';

/** Provider per model: `hf` (Hugging Face SDK) and `local` (openai SDK) both reach the fake server; `gone` refuses. */
function policyWith(providers: Partial<Record<Alias, string>> = {}, extra: Partial<Policy> = {}): Policy {
  return policySchema.parse({
    version: 1,
    models: {
      coder: { provider: providers.coder ?? 'hf', model: 'coder', price: { input: 2, output: 2 } },
      coder2: { provider: providers.coder2 ?? 'hf', model: 'coder2', price: { input: 1, output: 1 } },
      general: { provider: providers.general ?? 'local', model: 'general', price: { input: 0.5, output: 0.5 } },
    },
    routes: [
      { name: 'code', description: 'writing code', model: 'coder', fallbacks: ['coder2'] },
      { name: 'chat', description: 'everything else', model: 'general' },
    ],
    defaultRoute: 'chat',
    router: { mode: 'local', timeoutMs: 50 },
    ...extra,
  });
}

let fake: FakeProvider;
afterEach(() => fake?.close());

async function setUp(behaviours: Partial<Record<Alias, Behaviour>>): Promise<Omit<AnswerDeps, 'policy'>> {
  fake = await startFakeProvider({ behaviours });
  const gonePort = await closedLoopbackPort();
  const providers = createProviderRegistry({
    config: {
      providers: {
        hf: { type: 'huggingface', baseURL: fake.baseURL, apiKeyEnv: 'HF_TOKEN' },
        local: { type: 'openai-compatible', baseURL: fake.baseURL, apiKeyEnv: 'LOCAL_KEY' },
        gone: { type: 'openai-compatible', baseURL: `http://127.0.0.1:${gonePort}/v1` },
        remote: { type: 'openai-compatible', baseURL: 'https://remote.invalid/v1' },
      },
    },
    env: { HF_TOKEN: 'hf_engine_token', LOCAL_KEY: 'local-key' },
  });
  return { router: fixedRouter, providers, firstTokenTimeoutMs: 2000 };
}

async function run(deps: AnswerDeps, req: OmniRequest = request): Promise<AnswerEvent[]> {
  const events: AnswerEvent[] = [];
  for await (const event of answer(req, deps)) events.push(event);
  return events;
}

function only<T extends AnswerEvent['type']>(events: AnswerEvent[], type: T): Array<Extract<AnswerEvent, { type: T }>> {
  return events.filter((event): event is Extract<AnswerEvent, { type: T }> => event.type === type);
}

function done(events: AnswerEvent[]): DoneEvent {
  const last = events.at(-1);
  assert.equal(last?.type, 'done', `expected done, got ${JSON.stringify(last)}`);
  return last as DoneEvent;
}

function failed(events: AnswerEvent[]): ErrorEvent {
  const last = events.at(-1);
  assert.equal(last?.type, 'error', `expected error, got ${JSON.stringify(last)}`);
  return last as ErrorEvent;
}

function modelsAsked(): string[] {
  return fake.chatRequests().map((request) => request.body?.model ?? '');
}

describe('a routed answer', () => {
  test('announces the decision before any token, then streams, then reports usage and done', async () => {
    const deps = await setUp({ coder: { text: 'def add(a, b): return a + b', chunks: 3 } });
    const events = await run({ ...deps, policy: policyWith() });
    assert.deepEqual(events.map((event) => event.type), ['decision', 'token', 'token', 'token', 'usage', 'done']);
    const [decision] = only(events, 'decision');
    assert.equal(decision.model, 'coder');
    assert.equal(decision.provider, 'hf');
    assert.equal(decision.decision.route, 'code');
    assert.equal(only(events, 'token').map((event) => event.text).join(''), 'def add(a, b): return a + b');
  });

  test('done says which model answered, the reported usage, and its cost from the price table', async () => {
    const deps = await setUp({ coder: { text: 'ok', usage: { input: 1000, output: 500 } } });
    const result = done(await run({ ...deps, policy: policyWith() }));
    assert.equal(result.model, 'coder');
    assert.equal(result.text, 'ok');
    assert.deepEqual(result.usage, { inputTokens: 1000, outputTokens: 500, estimated: false });
    assert.equal(result.costUsd, (1000 * 2 + 500 * 2) / 1_000_000);
    assert.ok(result.timeToFirstTokenMs >= 0 && result.timeToFirstTokenMs <= result.totalMs);
  });

  test('estimates usage as characters/4 when the provider reports none, and marks it estimated', async () => {
    const deps = await setUp({ coder: { text: 'x'.repeat(10), usage: false } });
    const result = done(await run({ ...deps, policy: policyWith() }));
    const inputTokens = Math.ceil(request.messages[0].content.length / 4);
    assert.deepEqual(result.usage, { inputTokens, outputTokens: 3, estimated: true });
    assert.equal(result.costUsd, (inputTokens * 2 + 3 * 2) / 1_000_000);
  });

  test('passes reasoning on as reasoning events, never into the answer text', async () => {
    const deps = await setUp({ coder: { text: 'Answer.', reasoning: { text: 'thinking hard', as: 'think-tags' } } });
    const events = await run({ ...deps, policy: policyWith() });
    assert.equal(only(events, 'reasoning').map((event) => event.text).join(''), 'thinking hard');
    assert.equal(done(events).text, 'Answer.');
  });

  test('reasoning ended by a lone </think> (the template opened <think>) is withdrawn from the answer and passed on as reasoning', async () => {
    const deps = await setUp({ coder: { text: 'Answer.', reasoning: { text: 'thinking hard about it', as: 'close-tag-only' } } });
    const events = await run({ ...deps, policy: policyWith() });
    const withdrawn = events.findIndex((event) => event.type === 'reasoning' && event.replacesAnswer);
    assert.ok(withdrawn > 0);
    const before = events.slice(0, withdrawn).flatMap((event) => (event.type === 'token' ? [event.text] : [])).join('');
    assert.equal((events[withdrawn] as { text: string }).text, 'thinking hard about it', 'the reasoning repeats the withdrawn text');
    assert.ok('thinking hard about it'.startsWith(before) && before.length > 0, `withdrawn text "${before}" was streamed as answer first`);
    assert.equal(events.slice(withdrawn + 1).flatMap((event) => (event.type === 'token' ? [event.text] : [])).join(''), 'Answer.');
    assert.equal(done(events).text, 'Answer.');
  });

  test('an explicit model choice answers whatever the router picks, under the route the router names for the request', async () => {
    const deps = await setUp({ general: { text: 'hi' } });
    const router: Router = { decide: async () => ({ route: 'code', model: 'coder', fallbacks: [], stage: 'local', reason: 'local classifier picked code (confidence 0.90)', confidence: 0.9, latencyMs: 1 }) };
    const events = await run({ ...deps, router, policy: policyWith(), override: { model: 'general' } });
    const [decision] = only(events, 'decision');
    assert.equal(decision.decision.stage, 'override');
    assert.equal(decision.decision.route, 'code', 'the request\'s route, not the first route of the chosen model');
    assert.equal(decision.decision.reason, 'model general chosen explicitly; local classifier picked code (confidence 0.90)');
    assert.equal(decision.model, 'general');
    assert.equal(done(events).model, 'general');
  });

  test('a retry keeps the route its answer had, whichever model it is retried with', async () => {
    const deps = await setUp({ general: { text: 'hi' } });
    const retried = await run({ ...deps, policy: policyWith(), override: { model: 'general', route: 'code' } });
    assert.equal(only(retried, 'decision')[0].decision.route, 'code');
    const unknown = await run({ ...deps, policy: policyWith(), override: { model: 'general', route: 'gone' } });
    assert.equal(only(unknown, 'decision')[0].decision.route, 'chat', 'a route the policy lost: the model\'s own route');
  });

  test('an unknown explicit model is an error that lists the aliases', async () => {
    const deps = await setUp({});
    const error = failed(await run({ ...deps, policy: policyWith(), override: { model: 'gpt-9' } }));
    assert.equal(error.message, 'model "gpt-9" is not in the policy: use one of coder, coder2, general');
  });

  test('a router that fails gives the default route, with the reason', async () => {
    const deps = await setUp({ general: { text: 'hi' } });
    const router: Router = { decide: async () => Promise.reject(new Error('classifier exploded')) };
    const [decision] = only(await run({ ...deps, router, policy: policyWith() }), 'decision');
    assert.equal(decision.decision.route, 'chat');
    assert.equal(decision.decision.stage, 'default');
    assert.match(decision.reason, /router failed \(classifier exploded\); default route chat/);
  });

  test('a router that never answers is cut off at twice router.timeoutMs and the default route answers', async () => {
    const deps = await setUp({ general: { text: 'hi' } });
    const router: Router = { decide: () => new Promise(() => {}) };
    const started = Date.now();
    const events = await run({ ...deps, router, policy: policyWith() });
    assert.match(only(events, 'decision')[0].reason, /did not decide within 100 ms/);
    assert.equal(done(events).model, 'general');
    assert.ok(Date.now() - started < 1000);
  });
});

describe('failover', () => {
  test('a refused connection moves on to the next model', async () => {
    const deps = await setUp({ coder2: { text: 'from coder2' } });
    const events = await run({ ...deps, policy: policyWith({ coder: 'gone' }) });
    const [fallback] = only(events, 'fallback');
    assert.deepEqual([fallback.from, fallback.to, fallback.cause, fallback.partialDiscarded], ['coder', 'coder2', 'connection', false]);
    assert.match(fallback.reason, /refused the connection/);
    assert.equal(done(events).text, 'from coder2');
  });

  test('HTTP 500 moves on to the next model', async () => {
    const deps = await setUp({ coder: { fail: { status: 500 } }, coder2: { text: 'ok' } });
    const events = await run({ ...deps, policy: policyWith() });
    assert.equal(only(events, 'fallback')[0].cause, 'server');
    assert.equal(done(events).model, 'coder2');
  });

  test('429 with a short Retry-After waits and asks the same model once more', async () => {
    const deps = await setUp({ coder: { fail: { status: 429, retryAfter: '0.05', times: 1 }, text: 'second time lucky' } });
    const events = await run({ ...deps, policy: policyWith() });
    assert.deepEqual(only(events, 'retry').map((event) => [event.model, event.waitMs]), [['coder', 50]]);
    assert.deepEqual(modelsAsked(), ['coder', 'coder']);
    assert.equal(done(events).text, 'second time lucky');
  });

  test('429 with a short Retry-After twice in a row moves on after the one retry', async () => {
    const deps = await setUp({ coder: { fail: { status: 429, retryAfter: '0.01' } }, coder2: { text: 'ok' } });
    const events = await run({ ...deps, policy: policyWith() });
    assert.deepEqual(modelsAsked(), ['coder', 'coder', 'coder2']);
    assert.equal(done(events).model, 'coder2');
  });

  test('a model refused again after the wait is listed once among the attempts, saying it was asked again', async () => {
    const deps = await setUp({ coder: { fail: { status: 429, retryAfter: '0.01' } }, coder2: { fail: { status: 500 } }, general: { fail: { status: 500 } } });
    const error = failed(await run({ ...deps, policy: policyWith() }));
    assert.deepEqual(modelsAsked(), ['coder', 'coder', 'coder2', 'general']);
    assert.deepEqual(error.attempts.map((attempt) => attempt.model), ['coder', 'coder2', 'general']);
    assert.equal(error.attempts[0].message, 'hf is rate-limiting requests (retry after 0.01 s); asked again after 0.01 s');
    assert.equal(error.message.split('\n').filter((line) => line.startsWith('  coder (hf)')).length, 1, error.message);
  });

  test('503 with a short Retry-After is waited out once too', async () => {
    const deps = await setUp({ coder: { fail: { status: 503, retryAfter: '0.05', times: 1 }, text: 'back again' } });
    const events = await run({ ...deps, policy: policyWith() });
    assert.deepEqual(only(events, 'retry').map((event) => [event.model, event.waitMs]), [['coder', 50]]);
    assert.equal(done(events).text, 'back again');
  });

  for (const provider of ['hf', 'local']) {
    test(`a model that is loading with a short estimated_time and no Retry-After is waited out once too (${provider})`, async () => {
      const loading = { error: 'Model coder is currently loading', estimated_time: 0.05 };
      const deps = await setUp({ coder: { fail: { status: 503, json: loading, times: 1 }, text: 'loaded now' } });
      const events = await run({ ...deps, policy: policyWith({ coder: provider }) });
      assert.deepEqual(only(events, 'retry').map((event) => [event.model, event.waitMs, event.message]), [['coder', 50, `${provider} failed with HTTP 503: Model coder is currently loading (ready in about 1 s)`]]);
      assert.deepEqual(modelsAsked(), ['coder', 'coder']);
      assert.equal(done(events).text, 'loaded now');
    });
  }

  test("a gateway's HTML error page is named by its title, not pasted into the note", async () => {
    const html = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center>nginx</center></body></html>';
    const deps = await setUp({ coder: { fail: { status: 502, html } }, coder2: { text: 'ok' } });
    const [fallback] = only(await run({ ...deps, policy: policyWith({ coder: 'local' }) }), 'fallback');
    assert.match(fallback.reason, /^coder failed: local failed with HTTP 502: an HTML page titled "502 Bad Gateway"; coder2 answers instead$/);
  });

  test('429 with a long Retry-After moves on at once', async () => {
    const deps = await setUp({ coder: { fail: { status: 429, retryAfter: 30 } }, coder2: { text: 'ok' } });
    const started = Date.now();
    const events = await run({ ...deps, policy: policyWith() });
    assert.equal(only(events, 'retry').length, 0);
    assert.equal(only(events, 'fallback')[0].cause, 'rate-limit');
    assert.equal(done(events).model, 'coder2');
    assert.ok(Date.now() - started < 1000);
  });

  test('no first token within the first-token timeout moves on and closes the silent request', async () => {
    const deps = await setUp({ coder: { firstTokenDelayMs: 5000, text: 'too late' }, coder2: { text: 'ok' } });
    const events = await run({ ...deps, policy: policyWith(), firstTokenTimeoutMs: 300 });
    const [fallback] = only(events, 'fallback');
    assert.equal(fallback.cause, 'timeout');
    assert.match(fallback.reason, /sent no first token for 300 ms/);
    assert.equal(done(events).model, 'coder2');
    await fake.waitForNoOpenRequests();
  });

  test('a stream that stalls mid-answer moves on after the stall timeout', async () => {
    const deps = await setUp({ coder: { text: 'a b c', chunkDelayMs: 5000 }, coder2: { text: 'ok' } });
    const events = await run({ ...deps, policy: policyWith(), stallTimeoutMs: 300 });
    assert.match(only(events, 'fallback')[0].reason, /stopped streaming for 300 ms/);
    assert.equal(done(events).model, 'coder2');
  });

  test('a stream broken mid-answer is answered again by the next model, and the partial text is declared discarded', async () => {
    const deps = await setUp({ coder: { text: 'one two three four', dropAfterChunks: 2 }, coder2: { text: 'complete answer' } });
    const events = await run({ ...deps, policy: policyWith() });
    const fallbackAt = events.findIndex((event) => event.type === 'fallback');
    const fallback = events[fallbackAt] as FallbackEvent;
    assert.equal(events.slice(0, fallbackAt).filter((event) => event.type === 'token').map((event) => (event as { text: string }).text).join(''), 'one two ');
    assert.equal(fallback.partialDiscarded, true);
    assert.match(fallback.reason, /its partial answer is discarded/);
    assert.equal(done(events).text, 'complete answer');
    assert.deepEqual(fake.chatRequests().at(-1)?.body?.messages, request.messages);
  });

  test('a partial answer discarded on failover counts in the usage and cost, estimated, at the failed model\'s price', async () => {
    const deps = await setUp({ coder: { text: 'one two three four', dropAfterChunks: 2 }, coder2: { text: 'complete answer', usage: { input: 100, output: 20 } } });
    const policy = policyWith();
    const result = done(await run({ ...deps, policy }));
    const partial = estimateUsage(modelMessages(request, policy.models.coder).messages, 'one two ');
    assert.deepEqual(result.usage, { inputTokens: 100 + partial.inputTokens, outputTokens: 20 + partial.outputTokens, estimated: true });
    // coder2 at $1 per million tokens, coder at $2.
    assert.ok(Math.abs(result.costUsd - (120 * 1 + (partial.inputTokens + partial.outputTokens) * 2) / 1_000_000) < 1e-12, String(result.costUsd));
    assert.equal(result.priced, true);

    // The failed model has no price: the cost is not the whole cost, so it is not called priced.
    const unpriced = policySchema.parse({ ...policy, models: { ...policy.models, coder: { provider: 'hf', model: 'coder' } } });
    assert.equal(done(await run({ ...deps, policy: unpriced })).priced, false);
  });

  test('a conversation too long for one model is asked of the next, and the note says how to make it fit', async () => {
    const tooLong = { status: 400, json: { object: 'error', message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.", code: 400 } };
    const deps = await setUp({ coder: { fail: tooLong }, coder2: { text: 'fits' } });
    const events = await run({ ...deps, policy: policyWith({ coder: 'local' }) });
    assert.equal(done(events).text, 'fits');
    const [fallback] = only(events, 'fallback');
    assert.equal(fallback.to, 'coder2');
    assert.match(fallback.message, /too long for "coder" \(4,096 tokens\): .* set "contextWindow": 4096 on its entry in \.omni\/policies\.json/);
  });

  test('a conversation still too long for a model with a contextWindow asks to lower it, naming its value', async () => {
    const tooLong = { status: 400, json: { object: 'error', message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.", code: 400 } };
    const deps = await setUp({ coder: { fail: tooLong }, coder2: { text: 'fits' } });
    const policy = policyWith({ coder: 'local' });
    policy.models.coder = { ...policy.models.coder, contextWindow: 16000 };
    const [fallback] = only(await run({ ...deps, policy }), 'fallback');
    assert.match(fallback.message, /too long for "coder" \(4,096 tokens\) even trimmed to its "contextWindow" of 16000: .*, or lower that "contextWindow" to 4096 on its entry in \.omni\/policies\.json so Omni sends fewer turns$/);
    assert.doesNotMatch(fallback.message, /\bset "contextWindow"/);
  });

  test('an auth failure names the fix and skips the other models of the same provider', async () => {
    const deps = await setUp({ coder: { fail: { status: 401 } }, general: { text: 'ok' } });
    const events = await run({ ...deps, policy: policyWith() });
    const [fallback] = only(events, 'fallback');
    assert.deepEqual([fallback.from, fallback.to, fallback.cause], ['coder', 'general', 'auth']);
    assert.match(fallback.reason, /hf rejected the token: check the key in HF_TOKEN/);
    assert.deepEqual(fallback.skipped.map((attempt) => [attempt.model, attempt.cause]), [['coder2', 'provider-excluded']]);
    assert.deepEqual(modelsAsked(), ['coder', 'general']);
  });

  test('after an auth failure the next provider gets its own key, never the rejected one', async () => {
    const deps = await setUp({ coder: { fail: { status: 401 } }, general: { text: 'ok' } });
    await run({ ...deps, policy: policyWith() });
    assert.deepEqual(fake.chatRequests().map((request) => request.headers.authorization), ['Bearer hf_engine_token', 'Bearer local-key']);
  });

  test('when every model fails, the error lists every attempt and its cause', async () => {
    const deps = await setUp({ coder: { fail: { status: 500 } }, coder2: { fail: { status: 401 } } });
    const error = failed(await run({ ...deps, policy: policyWith({ general: 'gone' }) }));
    assert.equal(error.cancelled, false);
    assert.deepEqual(error.attempts.map((attempt) => [attempt.model, attempt.cause]), [['coder', 'server'], ['coder2', 'auth'], ['general', 'connection']]);
    assert.match(error.message, /^no model could answer:\n {2}coder \(hf\): .*500.*\n {2}coder2 \(hf\): .*HF_TOKEN.*\n {2}general \(gone\): .*refused/);
  });

  test('an unknown provider name fails over with the error that says where to define it', async () => {
    const deps = await setUp({ coder2: { text: 'ok' } });
    const events = await run({ ...deps, policy: policyWith({ coder: 'nowhere' }) });
    const [fallback] = only(events, 'fallback');
    assert.equal(fallback.cause, 'config');
    assert.match(fallback.reason, /provider "nowhere" is not defined: add it to your providers file/);
    assert.equal(done(events).model, 'coder2');
  });
});

describe('history trimmed to a context window', () => {
  /** Twenty turns of about 100 estimated tokens each, then the question. */
  const longChat: OmniRequest = {
    messages: [
      ...Array.from({ length: 20 }, (_, index) => ({ role: index % 2 === 0 ? ('user' as const) : ('assistant' as const), content: `turn ${index} ${'x'.repeat(400)}` })),
      { role: 'user', content: 'And now?' },
    ],
  };
  const withWindows = (windows: Partial<Record<Alias, number>>, providers: Partial<Record<Alias, string>> = {}) => {
    const policy = policyWith(providers);
    for (const [alias, contextWindow] of Object.entries(windows)) policy.models[alias] = { ...policy.models[alias], contextWindow, displayName: `${alias} model` };
    return policy;
  };

  test('done says how many turns the answering model was sent, of how many, and where its window is set', async () => {
    const deps = await setUp({ coder: { text: 'ok' } });
    const result = done(await run({ ...deps, policy: withWindows({ coder: 1000 }) }, longChat));
    // 750 of the 1,000 tokens go to the prompt: the question and seven turns of ~102 tokens, less the first, an answer.
    assert.equal(fake.chatRequests().at(-1)?.body?.messages.length, 7);
    assert.equal(result.trimmed, 'Sent the last 7 of 21 turns: the earlier ones do not fit coder model\'s context window (1,000 tokens, "contextWindow" in .omni/policies.json)');
  });

  test('after a failover the note is about the model that answered, and a model sent everything has none', async () => {
    const deps = await setUp({ coder: { fail: { status: 500 } }, coder2: { text: 'ok' } });
    const trimmedByCoder = done(await run({ ...deps, policy: withWindows({ coder: 1000 }) }, longChat));
    assert.equal(trimmedByCoder.model, 'coder2');
    assert.equal(trimmedByCoder.trimmed, undefined);
    const trimmedByCoder2 = done(await run({ ...deps, policy: withWindows({ coder2: 2000 }) }, longChat));
    assert.match(trimmedByCoder2.trimmed ?? '', /^Sent the last 15 of 21 turns: .* coder2 model's context window \(2,000 tokens/);
  });
});

describe('answers that end without a normal stop', () => {
  test('a cut answer is kept and says it was cut off at the output limit; no other model is asked', async () => {
    const deps = await setUp({ coder: { text: 'def add(a, b):', finishReason: 'length' } });
    const events = await run({ ...deps, policy: policyWith() });
    const result = done(events);
    assert.equal(result.text, 'def add(a, b):');
    assert.equal(result.incomplete, "the answer was cut off at the model's output limit");
    assert.equal(only(events, 'fallback').length, 0);
  });

  test('an answer the content filter stopped says so; one that stopped normally has no note', async () => {
    const deps = await setUp({ coder: { text: 'I can', finishReason: 'content_filter' }, coder2: { text: 'fine' } });
    assert.equal(done(await run({ ...deps, policy: policyWith() })).incomplete, "the provider's content filter stopped the answer");
    assert.equal(done(await run({ ...deps, policy: policyWith({ coder: 'gone' }) })).incomplete, undefined);
  });

  // Each reply finishes cleanly but holds no answer text: the next model answers, and the note says why.
  const empty: Array<[string, Behaviour, RegExp]> = [
    ['an empty answer', { text: '' }, /^coder failed: hf sent an empty answer; coder2 answers instead$/],
    ['only a tool call', { text: '', finishReason: 'tool_calls' }, /hf asked to call a tool instead of answering/],
    ['a filtered empty answer', { text: '', finishReason: 'content_filter' }, /hf's content filter blocked the answer/],
    ['only reasoning, then the output limit', { text: '', reasoning: { text: 'thinking…', as: 'reasoning_content' }, finishReason: 'length' },
      /hf reached its output limit before writing an answer \(it was still reasoning\); coder2 answers instead; its partial answer is discarded/],
  ];
  for (const [what, behaviour, reason] of empty) {
    test(`${what} fails over to the next model`, async () => {
      const deps = await setUp({ coder: behaviour, coder2: { text: 'a real answer' } });
      const events = await run({ ...deps, policy: policyWith() });
      const [fallback] = only(events, 'fallback');
      assert.match(fallback.reason, reason);
      assert.equal(fallback.cause, 'protocol');
      assert.equal(done(events).text, 'a real answer');
    });
  }

  test('unreadable stream data fails over without the SDK printing it to the console', async () => {
    // The SDK binds console.error once per process, so what reaches stderr is what counts.
    const printed: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((chunk: string | Uint8Array) => printed.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      const deps = await setUp({ coder: { text: 'one two', garbledChunk: '{not json' }, coder2: { text: 'ok' } });
      const events = await run({ ...deps, policy: policyWith({ coder: 'local' }) });
      assert.match(only(events, 'fallback')[0].reason, /^coder failed: local sent a streaming message that is not JSON \("\{not json"\): check that its baseURL /);
      assert.equal(done(events).text, 'ok');
    } finally {
      process.stderr.write = write;
    }
    assert.deepEqual(printed.filter((text) => text.includes('not json')), []);
  });

  test('impossible usage from the provider is replaced by an estimate, marked as one', async () => {
    for (const usage of [{ input: -5, output: 1 }, { input: 10, output: 1e12 }]) {
      const deps = await setUp({ coder: { text: 'x'.repeat(10), usage } });
      const result = done(await run({ ...deps, policy: policyWith() }));
      assert.deepEqual(result.usage, { inputTokens: Math.ceil(request.messages[0].content.length / 4), outputTokens: 3, estimated: true });
      await fake.close();
    }
  });

  test('a 200 reply that is not an event stream (a proxy login page) fails over with a message that says so', async () => {
    const expected = {
      hf: /hf sent an answer Omni cannot read: .*it returned text\/html/,
      local: /local answered http:\/\/127\.0\.0\.1:\d+\/v1\/chat\/completions with no event stream: check that its baseURL http:\/\/127\.0\.0\.1:\d+\/v1 is an OpenAI-compatible server/,
    };
    for (const [provider, reason] of Object.entries(expected)) {
      const deps = await setUp({ coder: { htmlPage: '<html><body>Sign in</body></html>' }, coder2: { text: 'ok' } });
      const events = await run({ ...deps, policy: policyWith({ coder: provider }) });
      assert.match(only(events, 'fallback')[0].reason, reason, provider);
      assert.equal(done(events).text, 'ok');
      await fake.close();
    }
  });
});

describe('privacy', () => {
  test('a local-only file never goes to a provider off this machine; the decision says why the model was skipped', async () => {
    const deps = await setUp({ coder2: { text: 'local answer' } });
    const policy = policyWith({ coder: 'remote' }, { privacy: { localOnly: ['secrets/**'] } });
    const events = await run({ ...deps, policy }, { ...request, editor: { fileName: 'secrets/keys.py' } });
    const [decision] = only(events, 'decision');
    assert.equal(decision.model, 'coder2');
    assert.match(decision.reason, /coder skipped: secrets\/keys\.py may only go to providers on this machine \(privacy\.localOnly\), and remote is at https:\/\/remote\.invalid/);
    assert.deepEqual(done(events).attempts.map((attempt) => [attempt.model, attempt.cause, attempt.skipped]), [['coder', 'local-only', true]]);
  });

  test('with no model on this machine, a local-only request is refused with a clear message and nothing is sent', async () => {
    const deps = await setUp({});
    const policy = policyWith({ coder: 'remote', coder2: 'remote', general: 'remote' }, { privacy: { localOnly: ['secrets/**'] } });
    const events = await run({ ...deps, policy }, { ...request, editor: { fileName: 'secrets/keys.py' } });
    const error = failed(events);
    assert.equal(only(events, 'token').length, 0);
    assert.deepEqual(error.attempts.map((attempt) => [attempt.model, attempt.cause, attempt.skipped]), [
      ['coder', 'local-only', true],
      ['coder2', 'local-only', true],
      ['general', 'local-only', true],
    ]);
    assert.match(error.message, /secrets\/keys\.py may only go to providers on this machine/);
    assert.match(error.message, /\nadd a model on this machine \(e\.g\. one with provider "ollama"\) to the route's "fallbacks" in the policy$/);
  });

  test('a local-only file is kept local however its name is spelled', async () => {
    const deps = await setUp({});
    const policy = policyWith({ coder: 'remote' }, { privacy: { localOnly: ['secrets/**'] } });
    for (const fileName of ['./secrets/keys.py', 'secrets\\keys.py', 'src/../secrets/keys.py', 'secrets//keys.py', 'Secrets/keys.py']) {
      // Only the decision is read: stopping there means nothing is sent to the remote provider.
      const { value: decision } = await answer({ ...request, editor: { fileName } }, { ...deps, policy }).next();
      assert.equal(decision?.type === 'decision' && decision.model, 'coder2', fileName);
    }
  });

  test('a file the caller found local-only (by another folder\'s policy) stays local under a policy without privacy rules', async () => {
    const deps = await setUp({ coder2: { text: 'local answer' } });
    const policy = policyWith({ coder: 'remote' });
    const carriedFiles = [{ fileName: 'alpha/secrets/keys.py', via: 'from earlier in this conversation', localOnly: true }];
    const events = await run({ ...deps, policy }, { ...request, editor: { fileName: 'src/app.py' }, carriedFiles });
    const [decision] = only(events, 'decision');
    assert.equal(decision.model, 'coder2');
    assert.match(decision.reason, /coder skipped: alpha\/secrets\/keys\.py \(from earlier in this conversation\) may only go to providers on this machine/);
    assert.equal(done(events).text, 'local answer');
  });

  test('a follow-up asked from another file stays local when an earlier turn came from a local-only file', async () => {
    const deps = await setUp({});
    const policy = policyWith({ coder: 'remote' }, { privacy: { localOnly: ['secrets/**'] } });
    const followUp: OmniRequest = {
      messages: [
        { role: 'user', content: 'what is this?', fileName: 'src/app.py' },
        { role: 'assistant', content: 'An app.' },
        { role: 'user', content: 'and this?', fileName: 'secrets/keys.py' },
        { role: 'assistant', content: 'Keys.' },
        { role: 'user', content: 'rename it' },
      ],
      editor: { fileName: 'src/app.py' },
    };
    const { value: decision } = await answer(followUp, { ...deps, policy }).next();
    assert.equal(decision?.type === 'decision' && decision.model, 'coder2');
    assert.match(decision?.type === 'decision' ? decision.reason : '', /secrets\/keys\.py \(from earlier in this conversation\) may only go to providers on this machine/);
  });

  test("an earlier turn that quotes a local-only file in Omni's own format stays local, although it names no file", async () => {
    const deps = await setUp({});
    const policy = policyWith({ coder: 'remote' }, { privacy: { localOnly: ['**/*.env'] } });
    const quoted = 'what is this?\n\nSelected code from config/prod.env:\n```\nAPI_KEY=abc\n```';
    const followUp: OmniRequest = { messages: [{ role: 'user', content: quoted }, { role: 'assistant', content: 'A key.' }, { role: 'user', content: 'load it in python' }] };
    const { value: decision } = await answer(followUp, { ...deps, policy }).next();
    assert.equal(decision?.type === 'decision' && decision.model, 'coder2');
    assert.match(decision?.type === 'decision' ? decision.reason : '', /config\/prod\.env \(from earlier in this conversation\)/);
  });

  test('a file the caller says the request carries (a selection read from it) stays local, and models never see file names', async () => {
    const deps = await setUp({});
    const policy = policyWith({ coder: 'remote' }, { privacy: { localOnly: ['secrets/**'] } });
    const carrying: OmniRequest = { ...request, carriedFiles: [{ fileName: 'secrets/notes.txt', via: 'the --selection-file' }] };
    const { value: decision } = await answer(carrying, { ...deps, policy }).next();
    assert.equal(decision?.type === 'decision' && decision.model, 'coder2');
    assert.match(decision?.type === 'decision' ? decision.reason : '', /secrets\/notes\.txt \(the --selection-file\) may only go to providers on this machine/);
    const sent = modelMessages({ messages: [{ role: 'user', content: 'hi', fileName: 'a.py' }] }, { provider: 'x', model: 'y' } as ModelEntry).messages;
    assert.deepEqual(sent, [{ role: 'user', content: 'hi' }]);
  });

  test('other files may go to any provider', async () => {
    const deps = await setUp({});
    const policy = policyWith({ coder: 'remote' }, { privacy: { localOnly: ['secrets/**'] } });
    // Only the decision is read: stopping there means nothing is sent to the remote provider.
    const { value: decision } = await answer({ ...request, editor: { fileName: 'src/app.py' } }, { ...deps, policy }).next();
    assert.equal(decision?.type === 'decision' && decision.model, 'coder');
  });
});

describe('circuit breaker', () => {
  test('skips a model that keeps failing, says so in the decision, and tries it again after the cool-down', async () => {
    let now = 1_000_000;
    const clock = () => now;
    const breaker = createCircuitBreaker({ failureThreshold: 2, coolDownMs: 10_000, clock });
    const deps = await setUp({ coder: { fail: { status: 500, times: 2 }, text: 'coder is back' }, coder2: { text: 'ok' } });
    const policy = policyWith();
    policy.models.coder.displayName = 'Qwen Coder';
    await run({ ...deps, policy, breaker, clock });
    await run({ ...deps, policy, breaker, clock });
    assert.deepEqual(modelsAsked(), ['coder', 'coder2', 'coder', 'coder2']);

    const whileOpen = await run({ ...deps, policy, breaker, clock });
    const [decision] = only(whileOpen, 'decision');
    assert.equal(decision.model, 'coder2');
    assert.match(decision.reason, /; Qwen Coder skipped: failed 2 times in a row; skipped for another 10 s/, 'named as the tag names models');
    assert.equal(modelsAsked().length, 5);

    // A model the user picks by name is asked even while its circuit is open; the fallback stays skipped.
    const chosen = await run({ ...deps, policy, breaker, clock, override: { model: 'coder' } });
    assert.equal(done(chosen).text, 'coder is back');
    assert.equal(only(chosen, 'fallback').length, 0);

    now += 10_001;
    const afterCoolDown = await run({ ...deps, policy, breaker, clock });
    assert.equal(done(afterCoolDown).text, 'coder is back');
    assert.equal(breaker.blocked('coder'), undefined);
  });
});

describe('cancellation', () => {
  test('cancelling mid-stream ends with a cancelled error and leaves no request open', async () => {
    const deps = await setUp({ coder: { text: 'a b c d e f g h i j', chunkDelayMs: 50 } });
    const controller = new AbortController();
    const events: AnswerEvent[] = [];
    for await (const event of answer(request, { ...deps, policy: policyWith(), signal: controller.signal })) {
      events.push(event);
      if (event.type === 'token') controller.abort();
    }
    assert.equal(failed(events).cancelled, true);
    assert.equal(only(events, 'fallback').length, 0);
    await fake.waitForNoOpenRequests();
    assert.equal(fake.chatRequests()[0].closedByClient, true);
  });

  test('stopped after a failover, the error carries what the discarded partial answer used', async () => {
    const deps = await setUp({ coder: { text: 'one two three four', dropAfterChunks: 2 }, coder2: { text: 'a b c d e f g h', chunkDelayMs: 50 } });
    const policy = policyWith();
    const controller = new AbortController();
    const events: AnswerEvent[] = [];
    let fellOver = false;
    for await (const event of answer(request, { ...deps, policy, signal: controller.signal })) {
      events.push(event);
      if (event.type === 'fallback') fellOver = true;
      if (fellOver && event.type === 'token') controller.abort();
    }
    const error = failed(events);
    assert.equal(error.cancelled, true);
    const partial = estimateUsage(modelMessages(request, policy.models.coder).messages, 'one two ');
    assert.deepEqual(error.discarded, { usage: { ...partial, estimated: true }, costUsd: costUsd(policy, 'coder', partial), priced: true });
  });

  test('a caller that stops reading closes the model request', async () => {
    const deps = await setUp({ coder: { text: 'a b c d e f g h i j', chunkDelayMs: 50 } });
    for await (const event of answer(request, { ...deps, policy: policyWith() })) if (event.type === 'token') break;
    await fake.waitForNoOpenRequests();
    assert.equal(fake.chatRequests()[0].closedByClient, true);
  });

  test('cancelling while the router decides aborts the router call at once', async () => {
    const deps = await setUp({});
    const controller = new AbortController();
    let routerSignal: AbortSignal | undefined;
    const router: Router = {
      decide: (_request, options) => {
        routerSignal = options?.signal;
        setTimeout(() => controller.abort(), 10);
        return new Promise(() => {});
      },
    };
    const events = await run({ ...deps, router, policy: policyWith({}, { router: { mode: 'local', timeoutMs: 30_000, confidenceThreshold: 0.6 } }), signal: controller.signal });
    assert.deepEqual(events.map((event) => event.type), ['error']);
    assert.equal(failed(events).cancelled, true);
    assert.equal(routerSignal?.aborted, true);
  });
});

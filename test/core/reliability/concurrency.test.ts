// Twenty answers streamed at once through the engine against one loopback fake provider: no stream sees another's
// tokens, all of them finish, memory does not pile up, and cancelling half of them closes exactly those connections.
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, describe, test } from 'node:test';
import { answer } from '../../../src/core/engine/answer';
import type { AnswerEvent } from '../../../src/core/engine/events';
import { policySchema, type Policy } from '../../../src/core/policy/schema';
import { createProviderRegistry } from '../../../src/core/providers/registry';
import type { ProviderRegistry } from '../../../src/core/providers/types';
import type { Router } from '../../../src/core/router/types';
import { startFakeProvider, type FakeProvider } from '../../fake-provider/server';

const STREAMS = 20;
const CHUNKS = 40;
/** Tokens a cancelled stream receives before its caller aborts: midway through its answer. */
const CANCEL_AFTER_TOKENS = CHUNKS / 2;
/** Heap growth allowed across one round of twenty streams, measured after a full garbage collection. */
const HEAP_BOUND_MB = 8;

/** A full collection, with or without --expose-gc, so the heap figure measures what is retained, not garbage. */
const collectGarbage: () => void = (() => {
  if (typeof globalThis.gc === 'function') return globalThis.gc;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
})();

const alias = (i: number) => `s${i}`;
/** Distinct per stream in every chunk, so any interleaving shows in the concatenation. */
const textOf = (i: number) => Array.from({ length: CHUNKS }, (_, k) => `<${i}:${k}>`).join('');

let fake: FakeProvider;
let providers: ProviderRegistry;
const policy: Policy = policySchema.parse({
  version: 1,
  models: Object.fromEntries(Array.from({ length: STREAMS }, (_, i) => [alias(i), { provider: 'fake', model: `model-${i}` }])),
  routes: [{ name: 'chat', description: 'every request', model: alias(0) }],
  defaultRoute: 'chat',
  router: { mode: 'local' },
});
/** Never asked: each stream names its model explicitly. */
const router: Router = { decide: () => Promise.reject(new Error('the router must not be asked')) };

before(async () => {
  fake = await startFakeProvider({
    behaviours: Object.fromEntries(
      // Delays differ per stream (3–12 ms), so chunks of different streams arrive interleaved on the wire.
      Array.from({ length: STREAMS }, (_, i) => [`model-${i}`, { text: textOf(i), chunks: CHUNKS, chunkDelayMs: 3 + (i % 10) }]),
    ),
  });
  providers = createProviderRegistry({ config: { providers: { fake: { type: 'openai-compatible', baseURL: fake.baseURL } } }, env: {} });
});
after(() => fake.close());

interface StreamResult {
  tokens: string;
  last: AnswerEvent | undefined;
}

/** Streams model `i`'s answer; aborts it once `cancelAfter` tokens have arrived, when given. */
async function stream(i: number, cancelAfter?: number): Promise<StreamResult> {
  const controller = new AbortController();
  let tokens = '';
  let count = 0;
  let last: AnswerEvent | undefined;
  const events = answer({ messages: [{ role: 'user', content: `stream ${i}` }] }, {
    policy,
    router,
    providers,
    override: { model: alias(i) },
    signal: controller.signal,
    firstTokenTimeoutMs: 5000,
    stallTimeoutMs: 5000,
  });
  for await (const event of events) {
    last = event;
    if (event.type !== 'token') continue;
    tokens += event.text;
    if (++count === cancelAfter) controller.abort();
  }
  return { tokens, last };
}

const all = (cancelAfter?: (i: number) => number | undefined) =>
  Promise.all(Array.from({ length: STREAMS }, (_, i) => stream(i, cancelAfter?.(i))));

describe(`${STREAMS} concurrent streams`, () => {
  let results: StreamResult[];
  let heapGrowthMb: number;
  before(async () => {
    await all(); // warm-up: loads the SDK's lazy modules and fills the connection pool, which are not growth
    collectGarbage();
    const heapBefore = process.memoryUsage().heapUsed;
    results = await all();
    collectGarbage();
    heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  });

  test('every stream ends with done', () => {
    assert.deepEqual(results.map((r) => r.last?.type), Array(STREAMS).fill('done'));
  });

  test("every stream's tokens concatenate to exactly its own text", () => {
    results.forEach((result, i) => assert.equal(result.tokens, textOf(i), `stream ${i}`));
  });

  test(`the heap grows by less than ${HEAP_BOUND_MB} MB across a round of ${STREAMS} streams`, (t) => {
    t.diagnostic(`heap growth after a full GC: ${heapGrowthMb.toFixed(2)} MB`);
    assert.ok(heapGrowthMb < HEAP_BOUND_MB, `heap grew by ${heapGrowthMb.toFixed(2)} MB`);
  });
});

describe(`cancelling half of ${STREAMS} concurrent streams midway`, () => {
  const cancelled = (i: number) => i % 2 === 0;
  let results: StreamResult[];
  let firstRequest: number;
  before(async () => {
    firstRequest = fake.chatRequests().length;
    results = await all((i) => (cancelled(i) ? CANCEL_AFTER_TOKENS : undefined));
    await fake.waitForNoOpenRequests(2000);
  });
  const requestOf = (i: number) => fake.chatRequests().slice(firstRequest).find((request) => request.body?.model === `model-${i}`);

  test('each cancelled stream ends with a cancelled error after about half its text', () => {
    for (let i = 0; i < STREAMS; i += 2) {
      const last = results[i].last;
      assert.ok(last?.type === 'error' && last.cancelled, `stream ${i} ended with ${JSON.stringify(last)}`);
      assert.ok(textOf(i).startsWith(results[i].tokens) && results[i].tokens.length < textOf(i).length, `stream ${i} got ${results[i].tokens}`);
    }
  });

  test('the fake server sees the cancelled connections closed by the client before the answer was complete', () => {
    const closed = Array.from({ length: STREAMS }, (_, i) => i).filter((i) => requestOf(i)?.closedByClient);
    assert.deepEqual(closed, Array.from({ length: STREAMS }, (_, i) => i).filter(cancelled));
  });

  test('the other streams complete with exactly their own text', () => {
    for (let i = 1; i < STREAMS; i += 2) {
      assert.equal(results[i].last?.type, 'done', `stream ${i}`);
      assert.equal(results[i].tokens, textOf(i), `stream ${i}`);
    }
  });
});

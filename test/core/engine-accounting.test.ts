// The engine's pure parts: cost and session accounting, fallback order, the circuit breaker, the model prompt.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { candidateOrder } from '../../src/core/engine/candidates';
import { createCircuitBreaker } from '../../src/core/engine/circuitBreaker';
import { baselineModel, costUsd } from '../../src/core/engine/cost';
import type { DoneEvent } from '../../src/core/engine/events';
import { createSessionLedger } from '../../src/core/engine/ledger';
import { modelMessages } from '../../src/core/engine/prompt';
import { policySchema, type Policy } from '../../src/core/policy/schema';
import type { TokenUsage } from '../../src/core/providers/types';
import type { RoutingDecision } from '../../src/core/router/types';

const policy: Policy = policySchema.parse({
  version: 1,
  models: {
    big: { provider: 'openai', model: 'big-model', price: { input: 10, output: 30 } },
    mid: { provider: 'huggingface', model: 'mid-model', price: { input: 1, output: 3 } },
    local: { provider: 'ollama', model: 'qwen2.5-coder' },
  },
  routes: [
    { name: 'hard', description: 'hard problems', model: 'big', fallbacks: ['mid', 'big'] },
    { name: 'easy', description: 'everything else', model: 'mid' },
  ],
  defaultRoute: 'easy',
});

function doneEvent(model: string, usage: TokenUsage): DoneEvent {
  return {
    type: 'done',
    route: 'easy',
    model,
    displayName: model,
    provider: policy.models[model].provider,
    providerModel: policy.models[model].model,
    text: '',
    usage,
    costUsd: costUsd(policy, model, usage),
    priced: policy.models[model].price !== undefined,
    timeToFirstTokenMs: 0,
    totalMs: 0,
    attempts: [],
  };
}

describe('cost', () => {
  test('prices input and output tokens per million', () => {
    assert.equal(costUsd(policy, 'mid', { inputTokens: 2_000_000, outputTokens: 1_000_000, estimated: false }), 2 * 1 + 1 * 3);
  });

  test('a model without a price costs nothing', () => {
    assert.equal(costUsd(policy, 'local', { inputTokens: 5000, outputTokens: 5000, estimated: false }), 0);
  });

  test('the baseline is the model with the highest input+output price unless the policy names one', () => {
    assert.equal(baselineModel(policy), 'big');
    assert.equal(baselineModel({ ...policy, costBaseline: 'mid' }), 'mid');
  });
});

describe('session ledger', () => {
  test('adds up tokens and cost and the saving against sending everything to the baseline', () => {
    const ledger = createSessionLedger();
    ledger.record(doneEvent('mid', { inputTokens: 1_000_000, outputTokens: 1_000_000, estimated: false }), policy);
    ledger.record(doneEvent('local', { inputTokens: 1_000_000, outputTokens: 0, estimated: true }), policy);
    const totals = ledger.totals();
    assert.deepEqual(
      { ...totals, baseline: undefined },
      { answers: 2, inputTokens: 2_000_000, outputTokens: 1_000_000, estimated: true, costUsd: 4, unpriced: 1, baseline: undefined },
    );
    // On "big", only the answer on "mid": 1M input × $10 + 1M output × $30. "local" has no price, so what it cost is
    // unknown; compared at $0, its whole baseline price ($10) would count as saved.
    assert.deepEqual(totals.baseline, { model: 'big', displayName: 'big-model', costUsd: 40, savingUsd: 36 });
  });

  test('an answer partly on an unpriced model keeps its known cost but is left out of the comparison', () => {
    const ledger = createSessionLedger();
    const usage = { inputTokens: 1_000_000, outputTokens: 0, estimated: true };
    ledger.record({ usage, costUsd: 1, priced: false }, policy);
    const totals = ledger.totals();
    assert.equal(totals.costUsd, 1);
    assert.equal(totals.unpriced, 1);
    assert.deepEqual(totals.baseline, { model: 'big', displayName: 'big-model', costUsd: 0, savingUsd: 0 });
  });

  test('has no baseline when no model has a price', () => {
    const unpriced = policySchema.parse({ ...policy, models: { local: policy.models.local }, routes: [{ name: 'easy', description: 'all of it', model: 'local' }] });
    const ledger = createSessionLedger();
    ledger.record(doneEvent('local', { inputTokens: 10, outputTokens: 10, estimated: false }), unpriced);
    assert.equal(ledger.totals().baseline, undefined);
  });

  test('keeps counting when the policy changes; every answer is compared with the latest baseline, under its name', () => {
    const ledger = createSessionLedger();
    const usage = { inputTokens: 1_000_000, outputTokens: 0, estimated: false };
    ledger.record(doneEvent('mid', usage), policy);
    assert.deepEqual(ledger.totals().baseline, { model: 'big', displayName: 'big-model', costUsd: 10, savingUsd: 10 - 1 });
    const edited = policySchema.parse({ ...policy, costBaseline: 'mid' });
    ledger.record(doneEvent('mid', usage), edited);
    const totals = ledger.totals();
    assert.equal(totals.answers, 2);
    // Both answers on "mid" ($1 per million input); before, the first stayed priced on "big" under the name "mid".
    assert.deepEqual(totals.baseline, { model: 'mid', displayName: 'mid-model', costUsd: 1 + 1, savingUsd: 0 });
  });

  test('compares with the baseline of the policy in force now, before any answer under it', () => {
    const ledger = createSessionLedger();
    ledger.record(doneEvent('mid', { inputTokens: 1_000_000, outputTokens: 0, estimated: false }), policy);
    const renamed = policySchema.parse({ ...policy, costBaseline: 'mid', models: { ...policy.models, mid: { ...policy.models.mid, displayName: 'Mid' } } });
    // Before, the panel went on naming the old baseline (an alias the file no longer had) until the next answer.
    assert.deepEqual(ledger.totals(renamed).baseline, { model: 'mid', displayName: 'Mid', costUsd: 1, savingUsd: 0 });
    const unpriced = policySchema.parse({ ...policy, models: { local: policy.models.local }, routes: [{ name: 'easy', description: 'all of it', model: 'local' }] });
    assert.equal(ledger.totals(unpriced).baseline?.model, 'mid', 'a policy that prices nothing keeps the latest baseline');
  });
});

describe('fallback order', () => {
  test('is the route\'s model, its fallbacks, then the default route\'s model, each once', () => {
    const decision: RoutingDecision = { route: 'hard', model: 'big', fallbacks: ['mid', 'big'], stage: 'rule', reason: 'rule 1', latencyMs: 0 };
    assert.deepEqual(candidateOrder(policy, decision), ['big', 'mid']);
    assert.deepEqual(candidateOrder(policy, { ...decision, model: 'local', fallbacks: [] }), ['local', 'mid']);
  });
});

describe('circuit breaker', () => {
  test('opens after the threshold of failures in a row, for the cool-down', () => {
    let now = 0;
    const breaker = createCircuitBreaker({ failureThreshold: 2, coolDownMs: 5000, clock: () => now });
    breaker.recordFailure('mid');
    assert.equal(breaker.blocked('mid'), undefined);
    breaker.recordFailure('mid');
    assert.equal(breaker.blocked('mid'), 'failed 2 times in a row; skipped for another 5 s');
    now = 5000;
    assert.equal(breaker.blocked('mid'), undefined);
  });

  test('a failure after the cool-down re-opens it at once; a success closes it', () => {
    let now = 0;
    const breaker = createCircuitBreaker({ failureThreshold: 2, coolDownMs: 5000, clock: () => now });
    breaker.recordFailure('mid');
    breaker.recordFailure('mid');
    now = 6000;
    breaker.recordFailure('mid');
    assert.match(breaker.blocked('mid') ?? '', /failed 3 times in a row/);
    now = 12_000;
    breaker.recordSuccess('mid');
    breaker.recordFailure('mid');
    assert.equal(breaker.blocked('mid'), undefined);
  });
});

describe('model prompt', () => {
  test('adds the selected code to the latest user turn, fenced and labelled with the file', () => {
    const { messages } = modelMessages(
      { messages: [{ role: 'user', content: 'Explain this.' }], editor: { selection: 'x = 1\n', fileName: 'src/a.py', languageId: 'python' } },
      policy.models.mid,
    );
    assert.deepEqual(messages, [{ role: 'user', content: 'Explain this.\n\nSelected code from src/a.py:\n```python\nx = 1\n```' }]);
  });

  test('fences the selection with more backticks than it contains', () => {
    const [message] = modelMessages({ messages: [{ role: 'user', content: 'Fix.' }], editor: { selection: 'see ```code```' } }, policy.models.mid).messages;
    assert.ok(message.content.endsWith('\n````\nsee ```code```\n````'));
  });

  test('fences a selection with hundreds of thousands of backtick runs', () => {
    const selection = '`a '.repeat(300_000) + '`````';
    const [message] = modelMessages({ messages: [{ role: 'user', content: 'Explain.' }], editor: { selection } }, policy.models.mid).messages;
    assert.ok(message.content.endsWith('\n``````'));
  });

  test('drops the oldest turns to fit the context window, keeping system messages and the latest user turn', () => {
    const long = 'x'.repeat(400); // 100 estimated tokens each
    const { messages, trimmed } = modelMessages(
      {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: `old ${long}` },
          { role: 'assistant', content: `older answer ${long}` },
          { role: 'user', content: `recent ${long}` },
          { role: 'assistant', content: 'recent answer' },
          { role: 'user', content: 'latest question' },
        ],
      },
      { ...policy.models.mid, contextWindow: 200 },
    );
    assert.deepEqual(messages.map((message) => message.content.slice(0, 10)), ['Be brief.', 'recent xxx', 'recent ans', 'latest que']);
    // The system message is no turn: three of the five turns went.
    assert.deepEqual(trimmed, { sentTurns: 3, totalTurns: 5, contextWindow: 200 });
  });

  test('says nothing was trimmed when the whole conversation fits the context window', () => {
    const conversation = { messages: [{ role: 'user' as const, content: 'hi' }, { role: 'assistant' as const, content: 'hello' }, { role: 'user' as const, content: 'and?' }] };
    const { messages, trimmed } = modelMessages(conversation, { ...policy.models.mid, contextWindow: 200 });
    assert.equal(messages.length, 3);
    assert.equal(trimmed, undefined);
  });

  test('sends a question left unanswered and the next one as one user turn, so the roles alternate', () => {
    // A chat where the first answer was stopped before routing (it has no text, so the history has no answer for it).
    const { messages } = modelMessages(
      {
        messages: [
          { role: 'user', content: 'write a function that sorts a list' },
          { role: 'user', content: 'in Python please' },
        ],
        editor: { selection: 'xs = [3, 1]', fileName: 'a.py', languageId: 'python' },
      },
      policy.models.mid,
    );
    assert.deepEqual(messages.map((message) => message.role), ['user']);
    assert.equal(messages[0].content, 'write a function that sorts a list\n\nin Python please\n\nSelected code from a.py:\n```python\nxs = [3, 1]\n```');
  });

  test('never starts the kept history with an answer whose question did not fit', () => {
    const { messages, trimmed } = modelMessages(
      {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: `question ${'x'.repeat(800)}` },
          { role: 'assistant', content: 'short answer' },
          { role: 'user', content: 'latest question' },
        ],
      },
      { ...policy.models.mid, contextWindow: 200 },
    );
    assert.deepEqual(messages.map((message) => message.role), ['system', 'user']);
    assert.equal(messages[1].content, 'latest question');
    assert.deepEqual(trimmed, { sentTurns: 1, totalTurns: 3, contextWindow: 200 });
  });
});

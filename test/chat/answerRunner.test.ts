// What the chat shows of failures and stops: the chat's runner over the real engine and SDK, against the loopback fake
// provider.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { policySchema } from '../../src/core/policy/schema';
import { createProviderRegistry } from '../../src/core/providers/registry';
import type { Router } from '../../src/core/router/types';
import type { AssistantTurn, HostMessage } from '../../src/protocol/messages';
import { runAnswer, type RunResult } from '../../src/vscode/chat/answerRunner';
import type { Behaviour } from '../fake-provider/behaviours';
import { startFakeProvider, type FakeProvider } from '../fake-provider/server';

const policy = policySchema.parse({
  version: 1,
  models: { coder: { provider: 'fake', model: 'fake-coder', price: { input: 2, output: 2 } } },
  routes: [{ name: 'code', description: 'writing code', model: 'coder' }],
  defaultRoute: 'code',
});
const router: Router = { decide: async () => ({ route: 'code', model: 'coder', fallbacks: [], stage: 'local', reason: 'local classifier picked code', latencyMs: 1 }) };

let fake: FakeProvider;
afterEach(() => fake?.close());

/**
 * Runs one chat answer to the coder behaving as `behaviour`; `stopWhen` sees each message posted to the chat and each
 * line logged, with the turn as it is then, and stops the answer the first time it returns true.
 */
async function stoppedAnswer(behaviour: Behaviour, stopWhen: (seen: { message?: HostMessage; warning?: string }, turn: AssistantTurn) => boolean) {
  fake = await startFakeProvider({ behaviours: { 'fake-coder': behaviour } });
  const providers = createProviderRegistry({ config: { providers: { fake: { type: 'openai-compatible', baseURL: fake.baseURL } } }, env: {} });
  const controller = new AbortController();
  const turn: AssistantTurn = { role: 'assistant', requestId: 'r1', text: '', notes: [], status: 'streaming' };
  const stopIf = (seen: { message?: HostMessage; warning?: string }) => {
    if (stopWhen(seen, turn)) controller.abort();
  };
  const posted: HostMessage[] = [];
  const log = { info() {}, error() {}, warn: (warning: string) => stopIf({ warning }) } as unknown as vscode.LogOutputChannel;
  const result: RunResult = await runAnswer({
    requestId: 'r1',
    turn,
    request: { messages: [{ role: 'user', content: 'Write a function that adds two numbers.' }] },
    deps: { policy, router, providers },
    signal: controller.signal,
    post: (message) => {
      posted.push(message);
      stopIf({ message });
    },
    log,
    folderOpen: true,
  });
  return { result, turn, posted };
}

describe('a stopped chat answer', () => {
  it('stopped while waiting to ask a rate-limited model again, counts nothing: the refused request used no tokens', async () => {
    const { result, turn, posted } = await stoppedAnswer({ fail: { status: 429, retryAfter: 2 } }, ({ warning }) => /asking again in 2 s/.test(warning ?? ''));
    assert.equal(fake.chatRequests().length, 1, 'stopped before the second request');
    assert.equal(result.stopped, undefined, 'nothing for the session totals');
    assert.equal(turn.status, 'stopped');
    assert.deepEqual([turn.footer?.inputTokens, turn.footer?.outputTokens, turn.footer?.costUsd], [0, 0, 0]);
    assert.deepEqual(posted.at(-1), { type: 'done', requestId: 'r1', stopped: true, footer: turn.footer });
  });

  it('stopped while the model reasons, counts the reasoning it streamed as output and times it as the first token', async () => {
    const reasoning = 'Let me think about how two numbers are added, and which language the user wants. '.repeat(3);
    const { result, turn } = await stoppedAnswer(
      { text: 'def add(a, b):\n    return a + b', chunkDelayMs: 200, reasoning: { text: reasoning, as: 'reasoning_content' } },
      ({ message }) => message?.type === 'reasoning' && message.text.length > 0,
    );
    assert.ok(result.stopped, 'a model had the request: it counts');
    // At least the first half of the reasoning arrived (the fake streams it in two pieces) before the stop.
    assert.ok(result.stopped.usage.outputTokens >= reasoning.length / 2 / 4, `output tokens ${result.stopped.usage.outputTokens} cover the reasoning streamed (${turn.reasoning?.length} characters)`);
    assert.equal(turn.footer?.outputTokens, result.stopped.usage.outputTokens);
    // A finished answer's footer times its first output, reasoning included; a stopped one must not say "—".
    assert.equal(typeof turn.footer?.timeToFirstTokenMs, 'number');
  });
});

describe('a reasoning answer', () => {
  it('keeps in its turn when the model began reasoning, until the first answer token, for a chat view built anew', async () => {
    const started = Date.now();
    const seen: Array<[string, number | undefined]> = [];
    await stoppedAnswer(
      { text: 'def add(a, b):\n    return a + b', chunkDelayMs: 100, reasoning: { text: 'Two numbers, added in Python.', as: 'reasoning_content' } },
      ({ message }, turn) => {
        if (message?.type === 'reasoning' || message?.type === 'token') seen.push([message.type, turn.reasoningSince]);
        return false;
      },
    );
    const reasoning = seen.filter(([type]) => type === 'reasoning');
    assert.ok(reasoning.length >= 2, `the fake streams its reasoning in pieces: ${JSON.stringify(seen)}`);
    const since = reasoning[0][1];
    assert.ok(since !== undefined && since >= started && since <= Date.now(), `set when reasoning began: ${JSON.stringify(seen)}`);
    assert.ok(reasoning.every(([, at]) => at === since), `more reasoning does not move it: ${JSON.stringify(seen)}`);
    assert.ok(seen.filter(([type]) => type === 'token').every(([, at]) => at === undefined), `gone once the answer started: ${JSON.stringify(seen)}`);
  });
});

describe('a rate-limited model asked again', () => {
  it('says in the chat who is waited for and why, before the answer arrives', async () => {
    const { result, turn, posted } = await stoppedAnswer({ fail: { status: 429, retryAfter: '0.05', times: 1 }, text: 'second time lucky' }, () => false);
    const retryNote = { failedModel: 'fake-coder', cause: 'fake is rate-limiting requests (retry after 0.05 s)', nextModel: 'fake-coder', partialDiscarded: false, retryInMs: 50 };
    assert.deepEqual(posted.filter((message) => message.type === 'fallback'), [{ type: 'fallback', requestId: 'r1', note: retryNote }]);
    assert.ok(posted.findIndex((message) => message.type === 'fallback') < posted.findIndex((message) => message.type === 'token'), 'the note comes before the answer');
    assert.deepEqual(turn.notes, [retryNote], 'saved with the answer');
    assert.equal(result.done?.text, 'second time lucky');
  });
});

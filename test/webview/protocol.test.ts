import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RoutingDecision } from '../../src/core/router/types';
import {
  isOpenableHref,
  parseHostMessage,
  parseWebviewMessage,
  toDecisionTag,
  type HostMessage,
  type WebviewMessage,
} from '../../src/protocol/messages';
import { webviewCsp, webviewHtml } from '../../src/protocol/webviewHtml';
import { decision, done, sampleTag } from './messages';

describe('protocol: host → webview', () => {
  const valid: HostMessage[] = [
    { type: 'config', showReasoning: true },
    {
      type: 'conversation',
      conversationId: 'c1',
      title: 'Parse a CSV',
      turns: [
        { role: 'user', text: 'Parse a CSV' },
        { role: 'assistant', requestId: 'r1', text: 'Use `csv-parse`.', tag: sampleTag, notes: [], status: 'done' },
      ],
    },
    { type: 'userTurn', requestId: 'r2', text: 'Explain this selection' },
    decision('r1'),
    { type: 'token', requestId: 'r1', text: 'Hello' },
    { type: 'reasoning', requestId: 'r1', text: 'Thinking…' },
    { type: 'fallback', requestId: 'r1', note: { failedModel: 'coder', cause: 'HTTP 500', nextModel: 'general', partialDiscarded: true } },
    { type: 'usage', requestId: 'r1', usage: { inputTokens: 10, outputTokens: 2, estimated: false } },
    done('r1'),
    { type: 'error', requestId: 'r1', error: { message: 'Every model failed.', hint: 'Check your key.', attempts: [{ model: 'coder', cause: 'HTTP 401' }] } },
    { type: 'setup', lines: ['No API key is set.', "Run 'Omni: Set API Key'."] },
    { type: 'setup', requestId: 'r1', lines: ['No model is reachable.', 'Start Ollama or set a key.'] },
    { type: 'history', conversations: [{ id: 'c1', title: 'Parse a CSV', updatedAt: 1_700_000_000_000, turnCount: 2 }], activeId: 'c1' },
    { type: 'sessionTotals', answers: 3, inputTokens: 100, outputTokens: 50, estimated: true, costUsd: 0.01, unpriced: 0, baselineCostUsd: 0.05, savingUsd: 0.04, baselineModel: 'GPT-5' },
    { type: 'models', models: [{ alias: 'coder', displayName: 'Qwen3 Coder', provider: 'huggingface' }], chosen: null },
  ];

  it('accepts every message type', () => {
    const types = new Set<string>();
    for (const message of valid) {
      const result = parseHostMessage(message);
      assert.ok(result.ok, result.ok ? '' : result.error);
      assert.deepEqual(result.message, message);
      types.add(message.type);
    }
    assert.equal(types.size, 14);
  });

  it('rejects malformed messages with a readable error naming the type and field', () => {
    const cases: [unknown, RegExp][] = [
      [{ type: 'token', requestId: 'r1' }, /"token"[\s\S]*text/],
      [{ type: 'token', requestId: '', text: 'x' }, /requestId/],
      [{ type: 'decision', requestId: 'r1', tag: { ...sampleTag, stage: 'guess' } }, /stage/],
      [{ type: 'decision', requestId: 'r1', tag: { ...sampleTag, confidence: 1.5 } }, /confidence/],
      [{ type: 'setup', lines: ['only one line'] }, /lines/],
      [{ type: 'done', requestId: 'r1', stopped: false, footer: { ...done('r1').footer, costUsd: -1 } }, /costUsd/],
      [{ type: 'explode' }, /explode/],
      ['token', /untyped/],
      [null, /untyped/],
    ];
    for (const [data, pattern] of cases) {
      const result = parseHostMessage(data);
      assert.equal(result.ok, false, JSON.stringify(data));
      if (!result.ok) assert.match(result.error, pattern);
    }
  });

  it('drops unknown fields rather than passing them on', () => {
    const result = parseHostMessage({ type: 'token', requestId: 'r1', text: 'a', html: '<script>' });
    assert.ok(result.ok);
    assert.deepEqual(result.message, { type: 'token', requestId: 'r1', text: 'a' });
  });
});

describe('protocol: webview → host', () => {
  const valid: WebviewMessage[] = [
    { type: 'ready' },
    { type: 'send', requestId: 'r1', text: 'Write a parser' },
    { type: 'stop', requestId: 'r1' },
    { type: 'retryWith', requestId: 'r2', retryOf: 'r1', model: 'general' },
    { type: 'copy', code: 'let x = 1;' },
    { type: 'insertAtCursor', code: 'let x = 1;' },
    { type: 'applyToSelection', code: 'let x = 1;' },
    { type: 'openLink', href: 'https://example.com' },
    { type: 'newChat' },
    { type: 'openConversation', conversationId: 'c1' },
    { type: 'deleteConversation', conversationId: 'c1' },
    { type: 'showMoreHistory' },
    { type: 'chooseModel', model: 'coder' },
    { type: 'chooseModel', model: null },
  ];

  it('accepts every message type', () => {
    for (const message of valid) {
      const result = parseWebviewMessage(message);
      assert.ok(result.ok, result.ok ? '' : result.error);
      assert.deepEqual(result.message, message);
    }
    assert.equal(new Set(valid.map((message) => message.type)).size, 13);
  });

  it('rejects malformed messages', () => {
    const cases: unknown[] = [
      { type: 'send', requestId: 'r1', text: '' },
      { type: 'send', text: 'no id' },
      { type: 'stop' },
      { type: 'retryWith', requestId: 'r2', model: 'general' },
      { type: 'copy', code: 42 },
      { type: 'openLink' },
      { type: 'chooseModel' },
      { type: 'runCommand', command: 'rm -rf' },
      {},
    ];
    for (const data of cases) assert.equal(parseWebviewMessage(data).ok, false, JSON.stringify(data));
  });
});

describe('protocol helpers', () => {
  it('opens only absolute http(s) links', () => {
    for (const href of ['https://example.com/a?b#c', 'http://localhost:3000']) assert.ok(isOpenableHref(href), href);
    for (const href of ['javascript:alert(1)', 'JAVASCRIPT:alert(1)', 'file:///etc/passwd', 'command:workbench.action.quit', 'data:text/html,x', 'vscode://x', '/relative', '', 'mailto:a@b.c']) {
      assert.equal(isOpenableHref(href), false, href);
    }
  });

  it('builds a tag from a router decision', () => {
    const routing: RoutingDecision = { route: 'docs', model: 'general', fallbacks: ['coder'], stage: 'rule', reason: 'Rule 2 matched *.md.', latencyMs: 1, rule: 2 };
    const tag = toDecisionTag(routing, { displayName: 'Llama 3.3 70B', provider: 'huggingface' }, (alias) => `${alias} model`);
    assert.ok(parseHostMessage(decision('r1', tag)).ok);
    assert.equal(tag.modelDisplayName, 'Llama 3.3 70B');
    assert.deepEqual(tag.fallbacks, ['coder model'], 'fallbacks are named as the fallback notes name them');
    assert.equal(tag.routerLatencyMs, 1);
  });

  it('writes the CSP the webview runs under into the HTML shell', () => {
    const csp = webviewCsp('https://x.test', 'n0nce');
    assert.equal(csp, "default-src 'none'; script-src 'nonce-n0nce'; style-src https://x.test; img-src https://x.test data:; font-src https://x.test");
    const html = webviewHtml({ cspSource: 'https://x.test', nonce: 'n0nce', scriptUri: 'https://x.test/w.js?a=1&b="2"', styleUri: 'https://x.test/w.css' });
    assert.ok(html.includes(`content="${csp}"`));
    assert.ok(html.includes('<script nonce="n0nce" src="https://x.test/w.js?a=1&amp;b=&quot;2&quot;"></script>'));
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildRoutingPrompt, cutMiddle, trimConversation } from '../../../src/core/router/archRouter/prompt';
import { estimateTokens } from '../../../src/core/text/tokens';
import type { OmniRequest } from '../../../src/core/request';

const routes = [
  { name: 'code_generation', description: 'writing new code', examples: ['never sent'] },
  { name: 'general_chat', description: 'not about software' },
];

/** The block between a tag that opens a line and its closing tag (the instructions mention the tags inline too). */
function between(text: string, tag: string): string {
  const match = new RegExp(`^<${tag}>\\n([\\s\\S]*?)\\n</${tag}>$`, 'm').exec(text);
  assert.ok(match, `missing <${tag}> block`);
  return match[1];
}

describe('Arch-Router prompt', () => {
  it('lists routes as JSON with exactly name and description, never models or examples', () => {
    const prompt = buildRoutingPrompt(routes, [{ role: 'user', content: 'hi' }]);
    const listed = JSON.parse(between(prompt, 'routes'));
    assert.deepEqual(listed, [
      { name: 'code_generation', description: 'writing new code' },
      { name: 'general_chat', description: 'not about software' },
    ]);
  });

  it('puts routes first, then the conversation, then the task and the answer format', () => {
    const prompt = buildRoutingPrompt(routes, [{ role: 'user', content: 'hi' }]);
    const order = ['<routes>\n', '\n</routes>', '<conversation>\n', '\n</conversation>', '"other"', '{"route": "route_name"}'].map((s) => prompt.indexOf(s));
    assert.ok(order.every((p) => p >= 0), 'every part is present');
    assert.deepEqual([...order].sort((a, b) => a - b), order);
  });

  it('sends the conversation as a JSON array of role/content, ending with the latest user turn', () => {
    const conversation = trimConversation(
      {
        messages: [
          { role: 'system', content: 'you are helpful' },
          { role: 'user', content: 'write a parser' },
          { role: 'assistant', content: '' },
          { role: 'assistant', content: 'here it is' },
          { role: 'user', content: 'now explain it' },
        ],
      },
      2048,
    );
    const prompt = buildRoutingPrompt(routes, conversation);
    const sent = JSON.parse(between(prompt, 'conversation'));
    assert.deepEqual(sent, [
      { role: 'user', content: 'write a parser' },
      { role: 'assistant', content: 'here it is' },
      { role: 'user', content: 'now explain it' },
    ]);
  });
});

describe('conversation trimming', () => {
  const long = (n: number, c = 'x') => c.repeat(n);

  it('keeps newest turns within the token budget, cutting long ones, and always keeps the latest user turn', () => {
    const request: OmniRequest = {
      messages: [
        { role: 'user', content: long(2000, 'a') },
        { role: 'assistant', content: long(2000, 'b') },
        { role: 'user', content: long(2000, 'c') },
        { role: 'assistant', content: long(400, 'd') },
        { role: 'user', content: 'latest question' },
      ],
    };
    const kept = trimConversation(request, 700);
    assert.equal(kept[kept.length - 1].content, 'latest question');
    const total = kept.reduce((sum, m) => sum + estimateTokens(m.content), 0);
    assert.ok(total <= 700, `${total} tokens kept`);
    assert.deepEqual(kept.map((m) => m.content[0]), ['c', 'd', 'l']);
    assert.match(kept[0].content, /characters cut/);
  });

  it('starts the kept conversation with a user turn when an answer fits but its question does not', () => {
    const request: OmniRequest = {
      messages: [
        { role: 'user', content: long(4000, 'q') },
        { role: 'assistant', content: long(4000, 'a') },
        { role: 'user', content: 'latest question' },
      ],
    };
    // Each turn is cut to half the budget, so the answer fits and its question no longer does.
    assert.deepEqual(trimConversation(request, 700).map((m) => m.role), ['user']);
  });

  it('cuts a huge latest message to its head and tail instead of dropping it', () => {
    const text = `please fix this: ${long(50_000, 'z')} TypeError at line 3`;
    const [only] = trimConversation({ messages: [{ role: 'user', content: text }] }, 2048);
    assert.ok(only.content.startsWith('please fix this'));
    assert.ok(only.content.includes('TypeError at line 3'));
    assert.ok(estimateTokens(only.content) <= 2048);
  });

  it('adds the editor context and a cut of the selection to the latest user turn', () => {
    const [only] = trimConversation(
      {
        messages: [{ role: 'user', content: 'what does this do?' }],
        editor: { languageId: 'sql', fileName: 'db/q.sql', selection: `SELECT 1;\n${long(5000, 'y')}\nEND`, command: 'explain' },
      },
      2048,
    );
    assert.match(only.content, /\[editor: command explain, language sql, file db\/q\.sql, 3 lines selected\]/);
    assert.match(only.content, /Selected code:\nSELECT 1;/);
    assert.ok(only.content.length < 1200);
  });

  it('drops trailing assistant turns so the conversation ends with the user', () => {
    const kept = trimConversation({ messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] }, 100);
    assert.deepEqual(kept, [{ role: 'user', content: 'q' }]);
  });

  it('cutMiddle keeps short text whole and marks what it cut', () => {
    assert.equal(cutMiddle('short', 10), 'short');
    const cut = cutMiddle(long(1000), 200);
    assert.ok(cut.length <= 200);
    assert.match(cut, /characters cut/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendLine, exampleHistory, exampleLine, parseExamples } from '../../../src/core/eval/dataset';
import type { ChatMessage, EditorContext, OmniRequest } from '../../../src/core/request';
import { trimConversation } from '../../../src/core/router/archRouter/prompt';
import { createLocalClassifier } from '../../../src/core/router/classifier';

describe('routing example lines', () => {
  it('reads back as the same prompt, editor facts and expected route', () => {
    const editor: EditorContext = { languageId: 'python', fileName: 'src/app.py', selection: 'def f():\n    return 1\n', command: 'explain' };
    const line = exampleLine('Explain "this"\nline by line', editor, 'code_explanation');
    assert.doesNotMatch(line, /\n/, 'one JSON object per line, whatever the prompt holds');
    const { examples, problems } = parseExamples(`${line}\n`, 'route');
    assert.deepEqual(problems, []);
    assert.deepEqual(examples, [
      {
        line: 1,
        id: '1',
        expected: 'code_explanation',
        request: { messages: [{ role: 'user', content: 'Explain "this"\nline by line' }], editor },
      },
    ]);
  });

  it('leaves out what the request does not have, and the default chat command', () => {
    const line = exampleLine('what should I cook?', { command: 'chat' }, 'general_chat');
    assert.deepEqual(JSON.parse(line), { prompt: 'what should I cook?', route: 'general_chat' });
  });

  it('reads a follow-up back with its earlier turns before the latest message', () => {
    const history: ChatMessage[] = [
      { role: 'user', content: 'write a CSV parser in Python' },
      { role: 'assistant', content: 'def parse(line): ...' },
    ];
    const line = exampleLine('now make it handle quoted commas', { command: 'chat' }, 'code_generation', history);
    const { examples, problems } = parseExamples(line, 'route');
    assert.deepEqual(problems, []);
    assert.deepEqual(examples[0].request.messages, [...history, { role: 'user', content: 'now make it handle quoted commas' }]);
  });

  it('reports a broken earlier turn at its line and field', () => {
    const text = [
      JSON.stringify({ prompt: 'ok', route: 'a' }),
      JSON.stringify({ prompt: 'and now?', history: [{ role: 'user', content: 'first' }, { role: 'bot', text: 'hi' }], route: 'a' }),
    ].join('\n');
    const { examples, problems } = parseExamples(text, 'route');
    assert.equal(examples.length, 1);
    assert.equal(problems.length, 1);
    assert.equal(problems[0].line, 2);
    assert.match(problems[0].message, /history\.1\.role/);
    assert.match(problems[0].message, /history\.1\.content/);
  });
});

describe('the earlier turns an example keeps', () => {
  const routes = [
    { name: 'code_generation', description: 'writing new code from a description' },
    { name: 'bug_fixing', description: 'finding and fixing errors, crashes and wrong behaviour' },
    { name: 'general_chat', description: 'questions that are not about software' },
  ];
  const longAnswer = `Here is the parser.\n${'x = parse(row)\n'.repeat(2000)}That handles every row.`;
  const conversation: ChatMessage[] = [
    { role: 'user', content: 'my CSV import crashes with IndexError on empty lines' },
    { role: 'assistant', content: longAnswer },
    { role: 'user', content: 'write a test for that' },
    { role: 'assistant', content: 'def test_empty_line(): ...' },
  ];
  const latest: ChatMessage = { role: 'user', content: 'and the same for blank trailing lines' };
  const request = (earlier: ChatMessage[]): OmniRequest => ({ messages: [...earlier, latest], editor: { command: 'chat', languageId: 'python' } });

  it('routes as the whole conversation did, locally and for Arch-Router', () => {
    const kept = exampleHistory(conversation, 2048);
    assert.ok(JSON.stringify(kept).length < JSON.stringify(conversation).length / 3, 'a long answer is not stored whole');
    assert.deepEqual(trimConversation(request(kept), 2048), trimConversation(request(conversation), 2048));
    const classifier = createLocalClassifier(routes, { defaultRoute: 'general_chat' });
    assert.deepEqual(classifier.classify(request(kept)), classifier.classify(request(conversation)));
    assert.notDeepEqual(classifier.classify(request([])).scores, classifier.classify(request(conversation)).scores, 'earlier turns count');
  });

  it('keeps only user turns when the policy has no Arch-Router, since nothing else reads answers', () => {
    const kept = exampleHistory(conversation, undefined);
    assert.deepEqual(kept.map((message) => message.role), ['user', 'user']);
    const classifier = createLocalClassifier(routes, { defaultRoute: 'general_chat' });
    assert.deepEqual(classifier.classify(request(kept)), classifier.classify(request(conversation)));
  });
});

describe('appending an example line', () => {
  const cases: Array<[string, string, { insert: string; line: number }]> = [
    ['an empty file', '', { insert: 'X\n', line: 1 }],
    ['a file ending with a newline', 'a\nb\n', { insert: 'X\n', line: 3 }],
    ['a file whose last line has no newline', 'a\nb', { insert: '\nX\n', line: 3 }],
    ['a file ending with a blank line', 'a\n\n', { insert: 'X\n', line: 3 }],
    ['a file with Windows line ends', 'a\r\nb\r\n', { insert: 'X\n', line: 3 }],
  ];
  for (const [what, existing, expected] of cases) {
    it(`lands on its own line in ${what}`, () => {
      const planned = appendLine(existing, 'X');
      assert.deepEqual(planned, expected);
      const lines = (existing + planned.insert).split(/\r?\n/);
      assert.equal(lines[planned.line - 1], 'X');
    });
  }
});

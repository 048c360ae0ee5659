import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendLine, exampleHistory, exampleLine, formatProblem, parseExamples } from '../../../src/core/eval/dataset';
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
    ['a file that already has the line', 'a\r\nX\r\nb', { insert: '', line: 2 }],
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

describe('reading example lines', () => {
  const problemsOf = (lines: object[], label = 'route', options?: Parameters<typeof parseExamples>[2]) =>
    parseExamples(lines.map((line) => JSON.stringify(line)).join('\n'), label, options).problems;

  it('reads a file that starts with a byte-order mark', () => {
    const { examples, problems } = parseExamples('\uFEFF{"prompt": "hi", "route": "a"}\n', 'route');
    assert.deepEqual(problems, []);
    assert.equal(examples.length, 1);
  });

  it('with other fields rejected, reports each at its line, with a did-you-mean', () => {
    const problems = problemsOf([{ prompt: 'x', filename: 'q.sql', comand: 'explain', langaugeId: 'sql', route: 'a' }, { prompt: 'x', tag: 1, route: 'a' }], 'route', {
      otherFields: 'reject',
    });
    assert.deepEqual(problems, [
      {
        line: 1,
        message:
          'unknown field "filename" — did you mean "fileName"?; unknown field "comand" — did you mean "command"?; unknown field "langaugeId" — did you mean "languageId"?',
      },
      { line: 2, message: 'unknown field "tag"; the fields are "id", "prompt", "languageId", "fileName", "selection", "command", "history", "route"' },
    ]);
  });

  it('with other fields allowed, keeps extra labels but reports near misses of the example fields', () => {
    const line = { id: 'h1', prompt: 'x', source: 'so', route_fine: 'a', route_coarse: 'b', kind: 'c' };
    assert.deepEqual(problemsOf([line], 'route_fine'), []);
    assert.deepEqual(problemsOf([{ ...line, FileName: 'q.sql', selecton: 'x' }], 'route_fine').map((p) => p.message), [
      'unknown field "FileName" — did you mean "fileName"?; unknown field "selecton" — did you mean "selection"?',
    ]);
  });

  it('does not take a field for a misspelling of one the line already has', () => {
    assert.deepEqual(problemsOf([{ prompt: 'x', route: 'a', note: 'hi' }], 'route', { otherFields: 'reject' }).map((p) => p.message), [
      'unknown field "note"; the fields are "id", "prompt", "languageId", "fileName", "selection", "command", "history", "route"',
    ]);
    assert.deepEqual(problemsOf([{ prompt: 'x', note: 'hi' }], 'route', { otherFields: 'reject' }).map((p) => p.message), [
      'unknown field "note" — did you mean "route"?; missing label field "route" (a route name)',
    ]);
  });

  it('says what is wrong with a label that is there but not a route name', () => {
    const messages = problemsOf([{ prompt: 'x', route: 5 }, { prompt: 'x', route: ' ' }, { prompt: 'x', route: 'a' }]).map((p) => p.message);
    assert.deepEqual(messages, ['label field "route" must be a string (a route name), not 5', 'label field "route" is empty; give the route name']);
  });

  it('places a JSON syntax error at its line and 1-based column, saying what is wrong and how to fix it', () => {
    const strict = 'JSONL lines are strict JSON (no trailing commas or comments), one object per line';
    const text = [
      '{"prompt": "hi", "route": "general_chat",}',
      '{"prompt": "hi", "route": "general_chat"',
      '}',
      '{"prompt": "a", "route": "a"} {"prompt": "b", "route": "a"}',
      '{"prompt": "hi", "route": "a"} // greeting',
      "{'prompt': 'hi', 'route': 'a'}",
      '{"prompt": "hi" "route": "a"}',
    ].join('\n');
    assert.deepEqual(parseExamples(text, 'route').problems, [
      { line: 1, column: 41, message: `trailing comma: ${strict}` },
      {
        line: 2,
        column: 41,
        message: 'the line ends inside the object (close brace expected): JSONL holds one whole object per line; close it, or join it with the line it goes on over',
      },
      {
        line: 3,
        column: 1,
        message: 'the line does not start with "{": JSONL holds one whole object per line; if this continues the object on the line above, join the two lines',
      },
      {
        line: 4,
        column: 31,
        message: 'more after the end of the object: JSONL holds one object per line and nothing after it; put the next object on a line of its own',
      },
      { line: 5, column: 32, message: `comment: ${strict}` },
      {
        line: 6,
        column: 2,
        message: `not valid JSON: 'prompt' is no JSON value; names and text take double quotes ("…"), other values are numbers, true, false or null`,
      },
      { line: 7, column: 17, message: 'not valid JSON: comma expected; check the punctuation just before this point' },
    ]);
    assert.equal(formatProblem('t.jsonl', { line: 1, column: 41, message: 'm' }), 't.jsonl:1:41: m');
  });

  it('reports a line nested far too deep at its place instead of overflowing the stack', () => {
    const deep = `{"prompt": "x", "route": "a", "meta": ${'['.repeat(20_000)}`;
    assert.deepEqual(parseExamples(deep, 'route').problems, [
      { line: 1, column: 102, message: 'nested deeper than 64 levels; an example needs three (the line, its "history", a turn)' },
    ]);
  });

  it('reads keys as JSON.parse does: the last copy of a key wins, and __proto__ is a field like any other', () => {
    const { examples, problems } = parseExamples('{"prompt": "a", "prompt": "b", "__proto__": {"x": 1}, "route": "r"}', 'route', { otherFields: 'reject' });
    assert.deepEqual(examples, []);
    assert.match(problems[0].message, /^unknown field "__proto__"/);
    assert.equal(parseExamples('{"prompt": "a", "prompt": "b", "route": "r"}', 'route').examples[0].request.messages[0].content, 'b');
  });

  it('says a line that is JSON but no object is not an example, in JSONL\'s terms rather than zod\'s', () => {
    const text = ['[{"prompt": "x", "route": "a"}, {"prompt": "y", "route": "a"}]', '"write a parser"', 'null', '{"prompt": "z", "route": "a"}'].join('\n');
    const { examples, problems } = parseExamples(text, 'route');
    assert.deepEqual(problems, [
      { line: 1, message: 'a JSON array, not an object: JSONL holds one example per line, each an object like {"prompt": "…", "route": "…"}; put each element on a line of its own' },
      { line: 2, message: 'a JSON string, not an object: each line is one example, an object like {"prompt": "…", "route": "…"}' },
      { line: 3, message: 'null, not an object: each line is one example, an object like {"prompt": "…", "route": "…"}' },
    ]);
    assert.deepEqual(examples.map((example) => example.line), [4]);
  });

  it('reports an empty or blank prompt at its line', () => {
    assert.deepEqual(problemsOf([{ prompt: '', route: 'a' }, { prompt: ' \t', route: 'a' }]), [
      { line: 1, message: 'prompt: must not be empty' },
      { line: 2, message: 'prompt: must not be empty' },
    ]);
  });

  it('reports a label field that no line has once, with the closest field the lines have', () => {
    const lines = Array.from({ length: 4 }, () => ({ prompt: 'x', route_fine: 'a' }));
    assert.deepEqual(problemsOf(lines, 'route_fin'), [{ line: 1, message: 'no line has the label field "route_fin" (4 lines); the closest field they have is "route_fine"' }]);
    assert.deepEqual(problemsOf([...lines, { prompt: 'x', route_fin: 'a' }], 'route_fin').map((p) => p.line), [1, 2, 3, 4], 'per line when some lines have it');
  });
});

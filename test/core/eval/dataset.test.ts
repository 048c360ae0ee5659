import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appendLine, exampleLine, parseExamples } from '../../../src/core/eval/dataset';
import type { EditorContext } from '../../../src/core/request';

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

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractCode, fitIndentation, withSelectionLineEnd } from '../../src/vscode/refactor/proposedCode';

describe('extractCode', () => {
  it('takes the first fenced block, without the prose around it', () => {
    assert.equal(extractCode('Here:\n```python\ndef add(a, b):\n    return a + b\n```\nInlined it.\n```\nother\n```'), 'def add(a, b):\n    return a + b');
  });

  it('after an opening fence that is never closed, takes the code after it, not the prose before it', () => {
    assert.equal(extractCode('The refactoring:\n```typescript\n  total(): number {\n    return 0;\n  }\n\n'), '  total(): number {\n    return 0;\n  }');
  });

  it('takes nothing from an answer without a fence: it is prose, which would replace the code', () => {
    assert.equal(extractCode('The function is already as simple as it can be.'), undefined);
  });
});

describe('withSelectionLineEnd', () => {
  it('ends the proposal with the line break that ends a selection of whole lines', () => {
    assert.equal(withSelectionLineEnd('def f():\n    pass\n', 'def f(): ...'), 'def f(): ...\n');
    assert.equal(withSelectionLineEnd('def f():\r\n    pass\r\n', 'def f(): ...'), 'def f(): ...\r\n');
  });

  it('keeps one line break, not two, when both end with one; drops it when the selection ends mid-line', () => {
    assert.equal(withSelectionLineEnd('a\n', 'b\n'), 'b\n');
    assert.equal(withSelectionLineEnd('a', 'b\n'), 'b');
    assert.equal(withSelectionLineEnd('a', 'b\n\n'), 'b\n', 'only the last line break goes');
  });
});

describe('fitIndentation', () => {
  const spaces = { tabSize: 4, insertSpaces: true };
  const method = '    def total(self):\n        s = 0\n        for i in self.items:\n            s += i\n        return s';

  it('moves an answer given at the left margin to where the whole lines it replaces were', () => {
    const answer = 'def total(self):\n    return sum(self.items)';
    assert.equal(fitIndentation(answer, { selected: method, linePrefix: '', ...spaces }), '    def total(self):\n        return sum(self.items)');
  });

  it('leaves an answer that fits as it came', () => {
    const answer = '    def total(self):\n\n        return sum(self.items)  # \\t kept';
    assert.equal(fitIndentation(answer, { selected: method, linePrefix: '', ...spaces }), answer);
  });

  it('from mid-line, keeps the first line after the text before it and indents the rest as the selection was', () => {
    const selected = method.trimStart();
    // At the margin, as a model shown "def total" without its indentation often answers.
    assert.equal(
      fitIndentation('def total(self):\n    return sum(self.items)', { selected, linePrefix: '    ', ...spaces }),
      'def total(self):\n        return sum(self.items)',
    );
    // Echoing the indentation it was shown: already right.
    const echoed = 'def total(self):\n        return sum(self.items)';
    assert.equal(fitIndentation(echoed, { selected, linePrefix: '    ', ...spaces }), echoed);
    // Given its full indentation on the first line too: the text before the selection already holds it.
    assert.equal(fitIndentation(`    ${echoed}`, { selected, linePrefix: '    ', ...spaces }), echoed);
  });

  it('a one-line selection answered with several lines: the lines after the first are indented as that line', () => {
    assert.equal(
      fitIndentation('if x:\n    y = 1', { selected: 'y = 1 if x else y', linePrefix: '\t\t', tabSize: 4, insertSpaces: true }),
      'if x:\n\t\t\ty = 1',
    );
  });

  it('indents with tabs where the selection does, though the answer came with spaces', () => {
    const selected = '\tfor _, v := range xs {\n\t\tsum += v\n\t}';
    assert.equal(
      fitIndentation('for _, v := range xs {\n    sum += v\n}', { selected, linePrefix: '', tabSize: 4, insertSpaces: true }),
      '\tfor _, v := range xs {\n\t\tsum += v\n\t}',
    );
    assert.equal(
      fitIndentation('\tfor _, v := range xs {\n\t    sum += v\n\t}', { selected, linePrefix: '', tabSize: 4, insertSpaces: false }),
      '\tfor _, v := range xs {\n\t\tsum += v\n\t}',
      'a tab and four spaces are two levels',
    );
  });
});

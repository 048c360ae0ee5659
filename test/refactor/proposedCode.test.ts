import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractCode, withSelectionLineEnd } from '../../src/vscode/refactor/proposedCode';

describe('extractCode', () => {
  it('takes the first fenced block, without the prose around it', () => {
    assert.equal(extractCode('Here:\n```python\ndef add(a, b):\n    return a + b\n```\nInlined it.\n```\nother\n```'), 'def add(a, b):\n    return a + b');
  });

  it('after an opening fence that is never closed, takes the code after it, not the prose before it', () => {
    assert.equal(extractCode('The refactoring:\n```typescript\n  total(): number {\n    return 0;\n  }\n\n'), '  total(): number {\n    return 0;\n  }');
  });

  it('takes a whole answer without a fence as code', () => {
    assert.equal(extractCode('\nreturn a + b\n'), 'return a + b');
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

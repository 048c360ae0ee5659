import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inReadingOrder, LineIndex, type PolicyDiagnostic } from '../../../src/core/policy/diagnostics';

describe('LineIndex', () => {
  it('breaks lines at \\n, \\r\\n and a lone \\r, as VS Code does', () => {
    const lines = new LineIndex('a\nb\r\nc\rd');
    assert.deepEqual(
      [0, 2, 5, 7].map((offset) => lines.position(offset)),
      [1, 2, 3, 4].map((line) => ({ line, column: 1 })),
    );
  });

  it('counts columns in UTF-16 code units, as VS Code does', () => {
    assert.deepEqual(new LineIndex('\u{1F600}x').position(2), { line: 1, column: 3 });
  });
});

describe('inReadingOrder', () => {
  const at = (offset: number, message = 'm'): PolicyDiagnostic => ({
    severity: 'error',
    file: 'p.json',
    line: 1,
    column: offset + 1,
    offset,
    length: 1,
    path: '(root)',
    message,
  });

  it('sorts by position and drops exact repeats', () => {
    const sorted = inReadingOrder([at(9), at(3), at(9), at(9, 'other')]);
    assert.deepEqual(sorted.map((d) => [d.offset, d.message]), [[3, 'm'], [9, 'm'], [9, 'other']]);
  });
});

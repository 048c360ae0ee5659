import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { oneLinePreview } from '../../../src/core/text/preview';

describe('one-line preview', () => {
  it('joins lines and whitespace runs, and keeps a short text whole', () => {
    assert.equal(oneLinePreview('  explain\n\tthis   code ', 20), 'explain this code');
  });

  it('cuts a long text to the length, the last character an ellipsis', () => {
    const preview = oneLinePreview('write a function that parses a CSV line', 10);
    assert.equal(preview, 'write a f…');
    assert.equal(preview.length, 10);
  });
});

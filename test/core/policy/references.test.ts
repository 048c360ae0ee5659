import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { columnOf, errorsOf, valid, warningsOf } from './policyText';

describe('names in a policy', () => {
  it('rejects a route named "other", which Arch-Router answers when no route fits', () => {
    const text = valid.replace('{ "name": "general_chat"', '{ "name": "other", "description": "anything else", "model": "general" },\n    { "name": "general_chat"');
    const [d] = errorsOf(text);
    assert.equal(d.path, 'routes[1].name');
    assert.deepEqual([d.line, d.column], [10, columnOf(text, 10, '"other"')]);
    assert.match(d.message, /Arch-Router answers "other" when no route fits, so it could never pick this route; rename it/);
  });

  it('warns about a route whose name differs from "other" only in case', () => {
    const [d] = warningsOf(valid.replace('"name": "general_chat"', '"name": "Other"').replace('"defaultRoute": "general_chat"', '"defaultRoute": "Other"'));
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /differs only in case from "other"/);
  });

  it('warns about a fallback listed more than once', () => {
    const diagnostics = warningsOf(valid.replace('"fallbacks": ["general"]', '"fallbacks": ["general", "general", "general"]'));
    assert.deepEqual(
      diagnostics.map((d) => [d.severity, d.path]),
      [
        ['warning', 'routes[0].fallbacks[1]'],
        ['warning', 'routes[0].fallbacks[2]'],
      ],
    );
    assert.match(diagnostics[0].message, /"general" is already fallbacks\[0\]/);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePolicy } from '../../../src/core/policy/parse';
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

  it('warns at each model whose provider the user does not have, with a did-you-mean, only when told which exist', () => {
    const text = valid.replace('"general": { "provider": "huggingface"', '"general": { "provider": "hugginface"');
    const providers = { names: ['huggingface', 'openai', 'ollama'], definedIn: 'the "omni.providers" user setting' };
    const result = parsePolicy(text, '.omni/policies.json', { providers });
    assert.ok(result.ok, 'a missing provider does not stop the policy: the fallbacks still answer');
    assert.equal(result.diagnostics.length, 1);
    const [d] = result.diagnostics;
    assert.equal(d.severity, 'warning');
    assert.equal(d.path, 'models.general.provider');
    assert.deepEqual([d.line, d.column], [6, columnOf(text, 6, '"hugginface"')]);
    assert.equal(d.message, 'no provider "hugginface" here: define it in the "omni.providers" user setting, or use one that exists. Did you mean "huggingface"?');
    assert.deepEqual(warningsOf(text), [], 'without the list of providers nothing is said');
  });

  it('warns when privacy.localOnly has no model on this machine to answer, and not once one is', () => {
    const text = valid.replace('"defaultRoute"', '"privacy": { "localOnly": ["secrets/**"] },\n  "defaultRoute"');
    const providers = { names: ['huggingface', 'openai', 'ollama'], local: ['ollama'], definedIn: 'the "omni.providers" user setting' };
    const [d] = parsePolicy(text, '.omni/policies.json', { providers }).diagnostics;
    assert.equal(d.severity, 'warning');
    assert.equal(d.path, 'privacy.localOnly');
    assert.match(d.message, /^no model here is on this machine, so requests about these files cannot be answered at all: add one \(e\.g\. with provider "ollama"\)/);
    const withLocal = text.replace('"general": { "provider": "huggingface"', '"general": { "provider": "ollama"');
    assert.deepEqual(parsePolicy(withLocal, '.omni/policies.json', { providers }).diagnostics, []);
  });
});

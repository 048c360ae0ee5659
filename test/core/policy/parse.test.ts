import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDiagnostic } from '../../../src/core/policy/diagnostics';
import { parsePolicy } from '../../../src/core/policy/parse';

/** A valid policy as text; tests edit it to introduce one mistake at a known line. */
const valid = `{
  // teams comment their policies
  "version": 1,
  "models": {
    "coder": { "provider": "huggingface", "model": "Qwen/Qwen3-Coder-480B-A35B-Instruct", "price": { "input": 2, "output": 2 } },
    "general": { "provider": "huggingface", "model": "meta-llama/Llama-3.3-70B-Instruct" },
  },
  "routes": [
    { "name": "code_generation", "description": "writing new code", "model": "coder", "fallbacks": ["general"] },
    { "name": "general_chat", "description": "questions not about software", "model": "general" },
  ],
  "rules": [ { "when": { "files": ["**/*.sql"] }, "route": "code_generation" } ],
  "defaultRoute": "general_chat",
}`;

function errorsOf(text: string) {
  const result = parsePolicy(text, '.omni/policies.json');
  assert.equal(result.ok, false, 'expected the policy to be rejected');
  return result.diagnostics;
}

describe('parsePolicy', () => {
  it('accepts comments and trailing commas and fills defaults', () => {
    const result = parsePolicy(valid, 'p.json');
    assert.ok(result.ok, JSON.stringify(result.diagnostics));
    assert.equal(result.policy.router.mode, 'auto');
    assert.equal(result.policy.router.timeoutMs, 1000);
    assert.equal(result.policy.routes.length, 2);
  });

  it('locates a syntax error at its line and column', () => {
    const [d] = errorsOf(valid.replace('"version": 1,', '"version": 1,,'));
    assert.equal(d.line, 3);
    assert.match(d.message, /JSON syntax error/);
  });

  it('reports an unknown key at the key, with a did-you-mean', () => {
    const [d] = errorsOf(valid.replace('"model": "meta-llama', '"modle": "meta-llama'));
    assert.equal(d.line, 6);
    assert.equal(d.column, valid.split('\n')[5].indexOf('"model": "meta') + 1);
    assert.equal(d.path, 'models.general.modle');
    assert.match(d.message, /unknown key "modle".*Did you mean "model"\?/);
  });

  it('reports a missing required field on its object', () => {
    const [d] = errorsOf(valid.replace('"description": "writing new code", ', ''));
    assert.equal(d.line, 9);
    assert.equal(d.path, 'routes[0].description');
    assert.match(d.message, /missing "description"/);
  });

  it('reports a wrong type with what was found', () => {
    const [d] = errorsOf(valid.replace('"input": 2,', '"input": "two",'));
    assert.equal(d.path, 'models.coder.price.input');
    assert.match(d.message, /expected a number, found a string/);
  });

  it('suggests the nearest model for a route that names a missing one', () => {
    const [d] = errorsOf(valid.replace('"model": "coder"', '"model": "codr"'));
    assert.equal(d.line, 9);
    assert.equal(d.path, 'routes[0].model');
    assert.match(d.message, /no model "codr".*Did you mean "coder"\?/);
  });

  it('rejects a fallback that is not a model', () => {
    const [d] = errorsOf(valid.replace('"fallbacks": ["general"]', '"fallbacks": ["generall"]'));
    assert.equal(d.path, 'routes[0].fallbacks[0]');
    assert.match(d.message, /Did you mean "general"/);
  });

  it('rejects a rule that names a missing route, listing the known ones when nothing is close', () => {
    const [d] = errorsOf(valid.replace('"route": "code_generation" }', '"route": "sql" }'));
    assert.equal(d.line, 12);
    assert.equal(d.path, 'rules[0].route');
    assert.match(d.message, /no route "sql".*Known: "code_generation", "general_chat"/);
  });

  it('rejects duplicate route names at the second one', () => {
    const text = valid.replace(
      '{ "name": "general_chat"',
      '{ "name": "code_generation", "description": "again", "model": "coder" },\n    { "name": "general_chat"',
    );
    const [d] = errorsOf(text);
    assert.equal(d.path, 'routes[1].name');
    assert.equal(d.line, 10);
    assert.match(d.message, /already defined at routes\[0\]/);
  });

  it('rejects a default route that does not exist', () => {
    const [d] = errorsOf(valid.replace('"defaultRoute": "general_chat"', '"defaultRoute": "general"'));
    assert.equal(d.path, 'defaultRoute');
    assert.match(d.message, /Did you mean "general_chat"/);
  });

  it('rejects duplicate keys, pointing at the second occurrence', () => {
    const [d] = errorsOf(valid.replace('"version": 1,', '"version": 1,\n  "version": 1,'));
    assert.equal(d.line, 4);
    assert.match(d.message, /"version" is given twice/);
  });

  it('refuses URLs and keys in a workspace policy (they belong to user settings)', () => {
    const [d] = errorsOf(valid.replace('"provider": "huggingface", "model": "meta', '"provider": "huggingface", "baseURL": "http://evil", "model": "meta'));
    assert.match(d.message, /unknown key "baseURL"/);
  });

  it('reports several problems at once, each located', () => {
    const text = valid.replace('"model": "coder"', '"model": "x1"').replace('"defaultRoute": "general_chat"', '"defaultRoute": "x2"');
    const diagnostics = errorsOf(text);
    assert.deepEqual(diagnostics.map((d) => d.path), ['routes[0].model', 'defaultRoute']);
  });

  it('formats diagnostics as file:line:col for terminals', () => {
    const [d] = errorsOf(valid.replace('"model": "coder"', '"model": "codr"'));
    assert.match(formatDiagnostic(d), /^\.omni\/policies\.json:9:\d+: error: no model "codr"/);
  });

  it('says an empty file is empty', () => {
    const [d] = errorsOf('   ');
    assert.match(d.message, /empty/);
  });

  it('requires arch-router settings for mode "arch"', () => {
    const [d] = errorsOf(valid.replace('"defaultRoute": "general_chat",', '"defaultRoute": "general_chat", "router": { "mode": "arch" },'));
    assert.equal(d.path, 'router.mode');
    assert.match(d.message, /router\.archRouter/);
  });

  it('reports at most 100 problems, quickly, for a file full of mistakes', () => {
    const unknown = Array.from({ length: 20_000 }, (_, i) => `"unknown_${i}": ${i}`).join(',\n');
    const started = performance.now();
    const diagnostics = errorsOf(valid.replace('"version": 1,', `"version": 1,\n${unknown},`));
    assert.equal(diagnostics.length, 100);
    assert.ok(performance.now() - started < 2000, 'placing problems must not grow with the square of their number');
  });

  it('refuses a file over 1 MB without reading it as a policy', () => {
    const [d] = errorsOf(`${valid}${' '.repeat(1_100_000)}`);
    assert.match(d.message, /not read \(limit 1 MB\)/);
  });

  it('reports nesting far beyond a policy at the bracket where it starts, without overflowing the stack', () => {
    const [d] = errorsOf(`{"version": 1, "models": ${'['.repeat(100_000)}`);
    assert.match(d.message, /nested deeper than 64 levels/);
    assert.equal(d.line, 1);
  });

  it('accepts a byte-order mark and keeps columns right', () => {
    const result = parsePolicy(`\uFEFF${valid}`, 'p.json');
    assert.ok(result.ok);
    const [d] = errorsOf(`\uFEFF${valid.replace('"model": "coder"', '"model": "codr"')}`);
    assert.equal(d.column, valid.split('\n')[8].indexOf('"coder"') + 1);
  });

  it('warns about a fallback equal to the route model but still loads', () => {
    const result = parsePolicy(valid.replace('"fallbacks": ["general"]', '"fallbacks": ["coder"]'), 'p.json');
    assert.ok(result.ok);
    assert.equal(result.diagnostics[0].severity, 'warning');
  });
});

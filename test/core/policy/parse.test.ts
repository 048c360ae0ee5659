import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDiagnostic } from '../../../src/core/policy/diagnostics';
import { parsePolicy } from '../../../src/core/policy/parse';
import { columnOf, errorsOf, valid } from './policyText';

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

  it('words bounds, whole numbers and objects in JSON\'s terms, not zod\'s ("Too small: expected array to have >=1 items")', () => {
    const text = valid
      .replace('"description": "writing new code"', '"description": "ab"')
      .replace('"input": 2,', '"input": -1,')
      .replace('"defaultRoute": "general_chat",', '"defaultRoute": "general_chat", "router": { "timeoutMs": 1.5, "confidenceThreshold": 2 },');
    assert.deepEqual(
      errorsOf(text).map((d) => `${d.path}: ${d.message}`),
      [
        'models.coder.price.input: must be at least 0, found -1',
        'routes[0].description: needs at least 3 characters, found 2',
        'router.timeoutMs: expected a whole number, found 1.5',
        'router.confidenceThreshold: must be at most 1, found 2',
      ],
    );
    assert.deepEqual(errorsOf('{ "version": 1, "models": [], "routes": [], "defaultRoute": "x" }').map((d) => d.message), [
      'expected an object, found an array',
      'needs at least 1 item, found 0',
    ]);
    assert.match(errorsOf('{ "version": 1, "routes": [], "defaultRoute": "x" }')[0].message, /^missing "models" \(object required\)$/);
  });

  it('says a quoted number is the wrong type, not a near miss of itself ("must be 1. Did you mean "1"?")', () => {
    const [d] = errorsOf(valid.replace('"version": 1,', '"version": "1",'));
    assert.equal(d.message, 'must be 1, found a string');
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

  it('says an empty file is empty, and how to fill it (policies/default.json is not in the user\'s workspace)', () => {
    const [d] = errorsOf('   \n');
    assert.equal(d.message, 'the file is empty: a policy is a JSON object; run "Omni: Create Policy" in VS Code or "omni init" in its folder to fill it from a template');
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

  it('places a problem on the first line of a file with a byte-order mark where an editor shows it, not a column on', () => {
    // Editors (VS Code among them) drop the mark when they read the file: it is no column there.
    const text = '{"version": 2}';
    const marked = errorsOf(`\uFEFF${text}`);
    const version = marked.find((d) => d.path === 'version')!;
    assert.deepEqual([version.line, version.column, version.offset], [1, text.indexOf('2') + 1, text.indexOf('2')]);
    assert.deepEqual(marked, errorsOf(text), 'every problem where it is in the file without the mark');
  });

  it('warns about a fallback equal to the route model but still loads', () => {
    const result = parsePolicy(valid.replace('"fallbacks": ["general"]', '"fallbacks": ["coder"]'), 'p.json');
    assert.ok(result.ok);
    assert.equal(result.diagnostics[0].severity, 'warning');
  });

  it('says a number too large for JSON is not finite, not "expected a number, found a number"', () => {
    const [d] = errorsOf(valid.replace('"input": 2,', '"input": 1e309,'));
    assert.equal(d.path, 'models.coder.price.input');
    assert.match(d.message, /not a finite number/);
  });

  it('lists the valid commands with a did-you-mean, for one command or an item of a list', () => {
    const [one] = errorsOf(valid.replace('{ "files": ["**/*.sql"] }', '{ "command": "explian" }'));
    assert.equal(one.path, 'rules[0].when.command');
    assert.match(one.message, /must be one of "chat", "explain", "refactor"\. Did you mean "explain"\?/);
    const [item] = errorsOf(valid.replace('{ "files": ["**/*.sql"] }', '{ "command": ["chat", "explian"] }'));
    assert.equal(item.path, 'rules[0].when.command[1]');
    assert.match(item.message, /Did you mean "explain"\?/);
  });

  it('says what a model alias may contain, at the alias', () => {
    const text = valid.replace('"general": { "provider"', '"my general": { "provider"');
    const [d] = errorsOf(text);
    assert.match(d.message, /"my general" is not a valid name in models: use letters, digits/);
    assert.deepEqual([d.line, d.column], [6, columnOf(text, 6, '"my general"')]);
  });

  it('reports a misspelt condition once, as an unknown key, not also as a rule without conditions', () => {
    const diagnostics = errorsOf(valid.replace('{ "files": ["**/*.sql"] }', '{ "comand": "explain" }'));
    assert.deepEqual(
      diagnostics.map((d) => d.message),
      ['unknown key "comand" in rules[0].when. Did you mean "command"?'],
    );
  });

  it('still asks for a condition when "when" is empty', () => {
    const [d] = errorsOf(valid.replace('{ "files": ["**/*.sql"] }', '{}'));
    assert.match(d.message, /at least one condition/);
  });

  it('lists diagnostics in the order of the file', () => {
    const text = valid
      .replace('"model": "coder"', '"model": "codr"')
      .replace('"defaultRoute": "general_chat",', '"defaultRoute": "general_chat",\n  "defaultRoute": "general_chat",');
    assert.deepEqual(errorsOf(text).map((d) => d.line), [9, 14]);
  });

  it('reports a syntax error once when the parser repeats it', () => {
    assert.equal(errorsOf('{"version": 1, "router": {"mode": "auto"').length, 1);
  });

  it('counts lines ending in a lone CR as VS Code does', () => {
    const text = valid.replace('"model": "coder"', '"model": "codr"');
    for (const eol of ['\r', '\r\n']) {
      const [d] = errorsOf(text.replace(/\n/g, eol));
      assert.deepEqual([d.line, d.column], [9, columnOf(text, 9, '"codr"')], JSON.stringify(eol));
    }
  });

  it('stays fast, with short messages, for thousands of rules naming missing routes', () => {
    const routes = Array.from({ length: 3000 }, (_, i) => `{ "name": "route_number_${i}", "description": "route ${i}", "model": "general" }`);
    const rules = Array.from({ length: 3000 }, (_, i) => `{ "when": { "hasSelection": true }, "route": "missing_route_${i}" }`);
    const models = '{ "general": { "provider": "huggingface", "model": "m" } }';
    const text = `{ "version": 1, "models": ${models}, "routes": [${routes}], "rules": [${rules}], "defaultRoute": "route_number_0" }`;
    const started = performance.now();
    const diagnostics = errorsOf(text);
    assert.equal(diagnostics.length, 100);
    assert.match(diagnostics[0].message, /Known: "route_number_0", .*, … and 2990 more\.$/);
    assert.ok(diagnostics.every((d) => d.message.length < 500));
    // Unbounded, this took 25 s: a did-you-mean against every route for each of the 3000 problems.
    assert.ok(performance.now() - started < 8000, 'a did-you-mean is found only for the problems reported');
  });
});

describe('duplicate keys', () => {
  it('describes and places an error at the copy that takes effect', () => {
    const text = valid.replace('"defaultRoute": "general_chat",', '"defaultRoute": "general_chat",\n  "defaultRoute": 5,');
    const [duplicate, type] = errorsOf(text);
    assert.match(duplicate.message, /"defaultRoute" is given twice/);
    assert.match(type.message, /expected a string, found a number/);
    assert.deepEqual([type.line, type.column], [14, columnOf(text, 14, '5')]);
  });

  it('places a missing key on the copy that takes effect, though an ignored copy has it', () => {
    const text = valid.replace('"price": { "input": 2, "output": 2 }', '"price": { "input": 2, "output": 2 }, "price": { "input": 2 }');
    const missing = errorsOf(text).find((d) => d.path === 'models.coder.price.output');
    assert.ok(missing);
    assert.equal(missing.column, columnOf(text, 5, '{ "input": 2 }'));
  });
});

describe('"__proto__" keys', () => {
  it('is an unknown key of an object, not a way to set its fields', () => {
    const text = valid.replace('"defaultRoute": "general_chat",', '"defaultRoute": "general_chat", "router": { "__proto__": { "mode": "local" } },');
    const [d] = errorsOf(text);
    assert.match(d.message, /unknown key "__proto__" in router/);
    assert.deepEqual([d.line, d.column], [13, columnOf(text, 13, '"__proto__"')]);
  });

  it('is an unknown key at the root, whatever its value, placed at the key', () => {
    for (const value of ['null', '{ "anything": 1 }']) {
      const text = valid.replace('"version": 1,', `"version": 1, "__proto__": ${value},`);
      const [d] = errorsOf(text);
      assert.match(d.message, /unknown key "__proto__"/);
      assert.deepEqual([d.line, d.column], [3, columnOf(text, 3, '"__proto__"')], value);
    }
  });

  it('is not a valid model alias', () => {
    const text = valid.replace('"models": {', '"models": { "__proto__": null,');
    const [d] = errorsOf(text);
    assert.match(d.message, /"__proto__" is not a valid name in models/);
    assert.deepEqual([d.line, d.column], [4, columnOf(text, 4, '"__proto__"')]);
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { policyJsonSchema } from '../../../src/core/policy/jsonSchema';
import { parsePolicy } from '../../../src/core/policy/parse';
import { defaultPolicy, templates, templateText, type TemplateName } from '../../../src/core/policy/templates';

describe('shipped policies', () => {
  for (const name of Object.keys(templates) as TemplateName[]) {
    it(`template "${name}" is valid without warnings`, () => {
      const result = parsePolicy(templateText(name), `policies/${name}.json`);
      assert.ok(result.ok, JSON.stringify(result.diagnostics));
      assert.deepEqual(result.diagnostics, []);
    });
  }

  it('the default policy is one shared object, so caches keyed by policy keep working', () => {
    assert.equal(defaultPolicy(), defaultPolicy());
  });

  it('policies/schema.json is what the zod schema generates (no drift)', () => {
    const onDisk = JSON.parse(readFileSync('policies/schema.json', 'utf8'));
    assert.deepEqual(onDisk, policyJsonSchema());
  });

  it('the JSON schema forbids unknown keys, like the loader', () => {
    const schema = policyJsonSchema() as { additionalProperties?: boolean; required?: string[] };
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual([...(schema.required ?? [])].sort(), ['defaultRoute', 'models', 'routes', 'version']);
  });
});

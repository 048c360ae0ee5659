import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { policyEditorSchema, policyJsonSchema } from '../../../src/core/policy/jsonSchema';
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

  it('policies/editor-schema.json is what the zod schema generates (no drift)', () => {
    const onDisk = JSON.parse(readFileSync('policies/editor-schema.json', 'utf8'));
    assert.deepEqual(onDisk, policyEditorSchema());
  });

  it("the editor's schema completes and documents every key but leaves the checks to Omni's located diagnostics", () => {
    const keywords = new Set<string>();
    const walk = (node: unknown, inProperties = false): void => {
      if (Array.isArray(node)) return node.forEach((child) => walk(child));
      if (node === null || typeof node !== 'object') return;
      for (const [key, value] of Object.entries(node)) {
        if (!inProperties) keywords.add(key);
        walk(value, key === 'properties' && !inProperties);
      }
    };
    const descriptions = (schema: unknown) => {
      const found: string[] = [];
      JSON.stringify(schema, (key, value) => (key === 'description' && typeof value === 'string' && found.push(value), value));
      return found;
    };
    const editor = policyEditorSchema();
    walk(editor);
    // `type` too: VS Code reported a value of the wrong type as well as Omni, as a warning without the path.
    for (const check of ['type', 'required', 'minLength', 'pattern', 'minimum', 'maximum', 'minItems', 'propertyNames', 'enum', 'const']) {
      assert.ok(!keywords.has(check), `"${check}" is still in the editor's schema`);
    }
    assert.equal(JSON.stringify(editor).includes('"additionalProperties":false'), false);
    assert.deepEqual(descriptions(editor), descriptions(policyJsonSchema()), 'every description (hover) is kept');
    const router = (editor.properties as Record<string, { properties: Record<string, { examples?: unknown[] }> }>).router;
    assert.deepEqual(router.properties.mode.examples, ['local', 'arch', 'auto'], 'allowed values are still offered');
  });

  it('the JSON schema forbids unknown keys, like the loader', () => {
    const schema = policyJsonSchema() as { additionalProperties?: boolean; required?: string[] };
    assert.equal(schema.additionalProperties, false);
    assert.deepEqual([...(schema.required ?? [])].sort(), ['defaultRoute', 'models', 'routes', 'version']);
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { describeProblem, settingsSchema, validateSettings } from '../../src/vscode/settingsSchema';

type Property = Record<string, unknown>;
const contributed = (JSON.parse(readFileSync('package.json', 'utf8')).contributes.configuration.properties as Record<string, Property>);

/** What a schema checks, in JSON Schema's words; zod's whole numbers carry a safe-integer maximum nobody wrote. */
const CHECKS = ['type', 'minimum', 'maximum', 'enum', 'default'] as const;
function checks(schema: Property): Property {
  const out: Property = {};
  for (const key of CHECKS) if (schema[key] !== undefined && !(key === 'maximum' && schema[key] === Number.MAX_SAFE_INTEGER)) out[key] = schema[key];
  return out;
}

describe('omni.* settings', () => {
  it("package.json declares every setting of the zod schema with the same type, limits and default (no drift)", () => {
    const simple = Object.keys(contributed).filter((id) => id !== 'omni.providers');
    assert.deepEqual(simple.sort(), Object.keys(settingsSchema.shape).map((key) => `omni.${key}`).sort());
    for (const [key, schema] of Object.entries(settingsSchema.shape)) {
      const generated = z.toJSONSchema(schema, { io: 'input' }) as Property;
      assert.deepEqual(checks(contributed[`omni.${key}`]), checks(generated), `omni.${key}`);
    }
  });

  it('valid values are used as they are, unset ones get their default', () => {
    const { values, problems } = validateSettings({ firstTokenTimeoutMs: 1000, stallTimeoutMs: 2000, 'conversation.stickiness': 'keep' });
    assert.deepEqual(problems, []);
    assert.equal(values.firstTokenTimeoutMs, 1000);
    assert.equal(values.stallTimeoutMs, 2000);
    assert.equal(values['conversation.stickiness'], 'keep');
    assert.equal(values.maxSelectionTokens, 20_000);
    assert.equal(validateSettings({}).values.stallTimeoutMs, 30_000, 'the CLI\'s --stall-timeout-ms default');
  });

  it('each invalid value is replaced by its default and reported with the setting, the value, why and the default', () => {
    const { values, problems } = validateSettings({
      firstTokenTimeoutMs: 5,
      maxSelectionTokens: 'lots',
      'conversation.stickiness': 'sometimes',
      'conversation.switchConfidence': 0.5,
      stallTimeoutMs: 600_001,
    });
    assert.equal(values.firstTokenTimeoutMs, 20_000);
    assert.equal(values.stallTimeoutMs, 30_000);
    assert.equal(values.maxSelectionTokens, 20_000);
    assert.equal(values['conversation.stickiness'], 'switch-when-confident');
    assert.equal(values['conversation.switchConfidence'], 0.5, 'a valid neighbour is kept');
    assert.deepEqual(problems.map(describeProblem).sort(), [
      'the setting "omni.conversation.stickiness" is "sometimes", which is not valid: it must be one of "keep", "switch-when-confident", "always-route". Omni uses the default, "switch-when-confident", instead',
      'the setting "omni.firstTokenTimeoutMs" is 5, which is not valid: it must be at least 1000. Omni uses the default, 20000, instead',
      'the setting "omni.maxSelectionTokens" is "lots", which is not valid: it must be a number. Omni uses the default, 20000, instead',
      'the setting "omni.stallTimeoutMs" is 600001, which is not valid: it must be at most 600000. Omni uses the default, 30000, instead',
    ]);
  });

  it('a fraction where a whole number belongs, and a long value, are named in words that fit one line', () => {
    const [fraction] = validateSettings({ firstTokenTimeoutMs: 1500.5 }).problems;
    assert.match(describeProblem(fraction), /is 1500\.5, which is not valid: it must be a whole number/);
    const [long] = validateSettings({ showReasoning: 'x'.repeat(500) }).problems;
    assert.match(describeProblem(long), /is "x{50,}…, which is not valid: it must be a boolean\. Omni uses the default, false, instead$/);
  });
});

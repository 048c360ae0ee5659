/** The JSON Schema of the policy file, generated from the zod schema. */
import { z } from 'zod';
import { policySchema } from './schema';

/** The whole schema, validation included: `policies/schema.json`, for `$schema` references and other tools. */
export function policyJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(policySchema, { io: 'input', target: 'draft-7' }),
    title: 'Omni policy',
    // VS Code's own keywords: the policy is read with comments and trailing commas allowed, so its JSON checker must not flag them.
    allowComments: true,
    allowTrailingCommas: true,
  };
}

/**
 * Keywords that only validate. Omni's own diagnostics already report each of these at its place, with a fix or a "did
 * you mean", so VS Code's JSON checker must not report them a second time in Problems. `type` stays: completion needs
 * it to insert `""`, `{}` or `[]`.
 */
const VALIDATION_ONLY = new Set([
  'required', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'minItems', 'maxItems', 'propertyNames', 'enum', 'const',
]);

/** One schema node for the editor: values the validator allows become completion `examples` instead of a check. */
function forEditor(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forEditor);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (VALIDATION_ONLY.has(key) || (key === 'additionalProperties' && value === false)) continue;
    if (key === 'properties') out[key] = Object.fromEntries(Object.entries(value as object).map(([name, child]) => [name, forEditor(child)]));
    else out[key] = key === 'default' || key === 'examples' ? value : forEditor(value);
  }
  const { enum: allowed, const: only } = node as { enum?: unknown[]; const?: unknown };
  const values = allowed ?? (only === undefined ? undefined : [only]);
  if (values) out.examples = values;
  return out;
}

/** The schema VS Code is given for `.omni/policies.json` (`policies/editor-schema.json`): completion and hover only. */
export function policyEditorSchema(): Record<string, unknown> {
  return forEditor(policyJsonSchema()) as Record<string, unknown>;
}

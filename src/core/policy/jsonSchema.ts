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
 * you mean", so VS Code's JSON checker must not report them a second time in Problems.
 */
const VALIDATION_ONLY = new Set([
  'required', 'minLength', 'maxLength', 'pattern', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'minItems', 'maxItems', 'propertyNames', 'enum', 'const',
]);

/**
 * What VS Code's completion would take from `type` when a key has no value to offer: the value it inserts after the key
 * (`"key": ""`, `0`, `{}`; `true`/`false` offered next). `type` itself is a check: VS Code would report a value of the
 * wrong type as "Incorrect type" beside Omni's error at the same place, as a warning without the path.
 */
const INSERTED_FOR: Readonly<Record<string, { defaultSnippets?: unknown[]; examples?: unknown[] }>> = {
  string: { defaultSnippets: [{ label: '""', body: '^"$1"' }] },
  number: { defaultSnippets: [{ label: '0', body: '^${1:0}' }] },
  integer: { defaultSnippets: [{ label: '0', body: '^${1:0}' }] },
  boolean: { examples: [true, false] },
  object: { defaultSnippets: [{ label: '{}', body: '^{$1}' }] },
  array: { defaultSnippets: [{ label: '[]', body: '^[$1]' }] },
};

/** One schema node for the editor: values the validator allows become completion `examples` instead of a check. */
function forEditor(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(forEditor);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (VALIDATION_ONLY.has(key) || key === 'type' || (key === 'additionalProperties' && value === false)) continue;
    if (key === 'properties') out[key] = Object.fromEntries(Object.entries(value as object).map(([name, child]) => [name, forEditor(child)]));
    else out[key] = key === 'default' || key === 'examples' ? value : forEditor(value);
  }
  const { enum: allowed, const: only, type } = node as { enum?: unknown[]; const?: unknown; type?: unknown };
  const values = allowed ?? (only === undefined ? undefined : [only]);
  if (values) out.examples = values;
  // VS Code completes a key whose schema has properties or items as an object or array without being told; a key with
  // a default or examples gets those.
  const inserts = !('properties' in out || 'items' in out || 'default' in out || 'examples' in out);
  if (inserts && typeof type === 'string') Object.assign(out, INSERTED_FOR[type]);
  return out;
}

/**
 * The schema VS Code is given for `.omni/policies.json` (`policies/editor-schema.json`): completion and hover only, so
 * each mistake appears in Problems once, as Omni's error at its place with its path and fix.
 */
export function policyEditorSchema(): Record<string, unknown> {
  return forEditor(policyJsonSchema()) as Record<string, unknown>;
}

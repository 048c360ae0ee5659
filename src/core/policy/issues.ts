/** Turns zod's issues into problems users can act on: what is wrong, found where, and the likely fix. */
import type { Node } from 'jsonc-parser';
import type { z } from 'zod';
import { formatJsonPath } from './diagnostics';
import type { NodeIndex } from './jsonTree';
import { type JsonPath, MAX_PROBLEMS, type PolicyProblem } from './problems';
import { policySchema } from './schema';
import { closest, suggestion } from '../text/suggest';

type Issue = z.core.$ZodIssue;

/** Problems for one issue; `nodes` tells what the document holds where the issue points. */
export function describeIssue(issue: Issue, nodes: NodeIndex): PolicyProblem[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys(path);
      return issue.keys.slice(0, MAX_PROBLEMS).map((key) => ({
        path: [...path, key],
        atKey: true,
        suggestedKey: closest(key, allowed),
        message: `unknown key "${key}" in ${formatJsonPath(path)}.`,
        hint: () => suggestion(key, allowed),
      }));
    }
    case 'invalid_type': {
      const node = nodes.at(path);
      const expected = TYPE_WORDS[issue.expected] ?? issue.expected;
      if (!node) return [{ path, missing: true, message: `missing "${String(path[path.length - 1])}" (${expected} required)` }];
      if (node.type === 'number' && !Number.isFinite(node.value)) {
        return [{ path, message: 'not a finite number: it is beyond the largest number JSON can hold (about 1.8e308)' }];
      }
      // "expected a whole number, found a number" would not say what is wrong with it.
      const found = issue.expected === 'int' && node.type === 'number' ? String(node.value) : jsonType(node);
      return [{ path, message: `expected ${article(expected)}, found ${found}` }];
    }
    case 'invalid_value': {
      const options = issue.values.map((v) => JSON.stringify(v)).join(', ');
      const expected = issue.values.length === 1 ? options : `one of ${options}`;
      const node = nodes.at(path);
      if (!node) return [{ path, missing: true, message: `missing "${String(path[path.length - 1])}" (must be ${expected})` }];
      // Only text can be a typo of text: "1" for the number 1 is the wrong type, not a near miss of "1".
      if (!issue.values.some((v) => typeof v === typeof node.value)) return [{ path, message: `must be ${expected}, found ${jsonType(node)}` }];
      const guess = typeof node.value === 'string' ? closest(node.value, issue.values.map(String)) : undefined;
      return [{ path, message: `must be ${expected}${guess === undefined ? '' : `. Did you mean "${guess}"?`}` }];
    }
    case 'invalid_union': {
      const branch = intendedBranch(issue.errors);
      if (!branch) return [{ path, message: `expected ${expectedTypes(issue.errors)}, found ${jsonType(nodes.at(path))}` }];
      return branch.flatMap((inner) => describeIssue({ ...inner, path: [...path, ...inner.path] }, nodes));
    }
    case 'invalid_key':
      return [badName(path, issue.issues)];
    default:
      return [{ path, message: issue.message }];
  }
}

/** zod's names for what it expected, in JSON's terms: a record is an object whose keys are names. */
const TYPE_WORDS: Readonly<Record<string, string>> = { record: 'object', int: 'whole number' };

/**
 * Bounds in words, for `safeParse`'s `error` option; zod's own say "Too small: expected array to have >=1 items". A
 * schema's own message (the glob's length limit) still wins.
 */
export function boundWords(issue: Parameters<z.core.$ZodErrorMap>[0]): string | undefined {
  if (issue.code !== 'too_small' && issue.code !== 'too_big') return undefined;
  const small = issue.code === 'too_small';
  const bound = Number(small ? issue.minimum : issue.maximum);
  const { input } = issue;
  if (typeof input === 'string' || Array.isArray(input)) {
    if (small && bound === 1 && typeof input === 'string') return 'must not be empty';
    const unit = typeof input === 'string' ? 'character' : 'item';
    return `${small ? 'needs at least' : 'takes at most'} ${bound} ${unit}${bound === 1 ? '' : 's'}, found ${input.length}`;
  }
  const inclusive = issue.inclusive !== false;
  const relation = small ? (inclusive ? 'at least' : 'greater than') : inclusive ? 'at most' : 'less than';
  return `must be ${relation} ${bound}${typeof input === 'number' ? `, found ${input}` : ''}`;
}

/**
 * Strict objects report a `__proto__` key as unknown, but records skip it silently (guarding their output). Of
 * `paths`, every `__proto__` key in the document, those in a record get the record's key check here instead.
 */
export function protoKeysInRecords(paths: JsonPath[]): PolicyProblem[] {
  return paths.flatMap((path) => {
    const def = defAt(path.slice(0, -1));
    if (def?.type !== 'record') return [];
    const checked = (def.keyType as z.ZodType).safeParse(path[path.length - 1]);
    return checked.success ? [] : [badName(path, checked.error.issues)];
  });
}

/** A record key (a model alias) that its key schema rejects, placed at the key. */
function badName(path: JsonPath, why: readonly Issue[]): PolicyProblem {
  const key = String(path[path.length - 1]);
  const reasons = why.map((issue) => issue.message).join('; ');
  return { path, atKey: true, message: `"${key}" is not a valid name in ${formatJsonPath(path.slice(0, -1))}: ${reasons}` };
}

/**
 * Of a union's branches, the one the user meant: the one that got furthest into the value. `["chat", "explian"]`
 * fails the single-command branch at the top and the list branch at item 1; the list branch says what to fix.
 * Undefined when no branch stands out, e.g. when each rejects the value's type.
 */
function intendedBranch(branches: Issue[][]): Issue[] | undefined {
  const reach = (issues: Issue[]) =>
    Math.max(...issues.map((issue) => (issue.code === 'invalid_type' && issue.path.length === 0 ? -1 : issue.path.length)));
  const reaches = branches.map(reach);
  const best = Math.max(...reaches);
  return best >= 0 && reaches.filter((r) => r === best).length === 1 ? branches[reaches.indexOf(best)] : undefined;
}

function expectedTypes(branches: Issue[][]): string {
  const types = branches
    .flat()
    .flatMap((issue) => (issue.code === 'invalid_type' && issue.path.length === 0 ? [article(issue.expected)] : []));
  return types.length > 0 ? [...new Set(types)].join(' or ') : 'another value';
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

function jsonType(node: Node | undefined): string {
  if (!node) return 'nothing';
  return node.type === 'null' ? 'null' : article(node.type);
}

/** The keys the schema allows at `path`, for "did you mean" on unknown keys. */
function allowedKeys(path: JsonPath): string[] {
  const def = defAt(path);
  return def?.type === 'object' ? Object.keys(def.shape as object) : [];
}

type SchemaDef = Record<string, unknown> & { type: string };

/** The definition of the schema that validates the value at `path`, if the schema reaches that far. */
function defAt(path: JsonPath): SchemaDef | undefined {
  let schema: unknown = policySchema;
  for (const segment of path) {
    const def = definition(schema);
    const shape = def.shape as Record<string, unknown>;
    if (def.type === 'object') schema = Object.hasOwn(shape, segment) ? shape[segment] : undefined;
    else if (def.type === 'array') schema = def.element;
    else if (def.type === 'record') schema = def.valueType;
    else return undefined;
    if (!schema) return undefined;
  }
  return definition(schema);
}

function definition(schema: unknown): SchemaDef {
  return (unwrap(schema) as { _zod: { def: SchemaDef } })._zod.def;
}

function unwrap(schema: unknown): unknown {
  let current = schema as { _zod: { def: { type: string; innerType?: unknown } } };
  while (['optional', 'default', 'nullable', 'prefault'].includes(current._zod.def.type)) {
    current = current._zod.def.innerType as typeof current;
  }
  return current;
}

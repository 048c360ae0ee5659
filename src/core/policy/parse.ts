/**
 * Turns the text of a policy file into a validated Policy or a list of located diagnostics.
 * Comments and trailing commas are allowed, as in VS Code's own JSON files.
 */
import { createScanner, findNodeAtLocation, type Node, parseTree, type ParseError, printParseErrorCode } from 'jsonc-parser';
import type { z } from 'zod';
import { formatJsonPath, LineIndex, type PolicyDiagnostic, type Severity } from './diagnostics';
import { type Policy, policySchema } from './schema';
import { checkReferences } from './references';
import { closest, suggestion } from '../text/suggest';

export type PolicyParseResult =
  | { ok: true; policy: Policy; diagnostics: PolicyDiagnostic[] }
  | { ok: false; diagnostics: PolicyDiagnostic[] };

type JsonPath = (string | number)[];

/** A real policy is a few KB; a file this large is not one, and validating it would stall the editor. */
const MAX_CHARS = 1024 * 1024;
/** A real policy nests about six levels; far deeper input would overflow recursive parsers on the way. */
const MAX_DEPTH = 64;
/** Past this many problems a file is not a policy being edited; placing more would only cost time. */
const MAX_PROBLEMS = 100;

/** A problem found by a check, before it is placed in the text. */
export interface PolicyProblem {
  path: JsonPath;
  message: string;
  severity?: Severity;
  /** Point at the key of the property `path` names rather than at its value (unknown keys). */
  atKey?: boolean;
  /** An exact place, when the path alone cannot say which occurrence (duplicate keys). */
  range?: { offset: number; length: number };
  /** Set on a required key that is absent. */
  missing?: boolean;
  /** Set on an unknown key that looks like a typo of this allowed key. */
  suggestedKey?: string;
}

/** Parses and validates a policy. `file` only labels the diagnostics. */
export function parsePolicy(source: string, file: string): PolicyParseResult {
  // A byte-order mark (some Windows editors write one) becomes a space, so every offset stays where it was.
  const text = source.startsWith('\uFEFF') ? ` ${source.slice(1)}` : source;
  const lines = new LineIndex(text);
  const place = (offset: number, length: number, path: JsonPath, message: string, severity: Severity = 'error') => {
    // The JSON parser reports errors at the end of the input with lengths that run past it.
    const start = Math.min(Math.max(0, offset), text.length);
    return {
      severity,
      file,
      ...lines.position(start),
      offset: start,
      length: Math.max(0, Math.min(length, text.length - start)),
      path: formatJsonPath(path),
      message,
    };
  };

  if (text.trim() === '') {
    return { ok: false, diagnostics: [place(0, 0, [], 'the file is empty: a policy is a JSON object, see policies/default.json')] };
  }
  if (text.length > MAX_CHARS) {
    const size = `${(text.length / 1024 / 1024).toFixed(1)} MB`;
    return { ok: false, diagnostics: [place(0, 0, [], `the file is ${size}; a policy is a few KB, so it was not read (limit 1 MB)`)] };
  }
  const tooDeep = firstOffsetDeeperThan(text, MAX_DEPTH);
  if (tooDeep !== undefined) {
    return { ok: false, diagnostics: [place(tooDeep, 1, [], `nested deeper than ${MAX_DEPTH} levels; a policy needs about six`)] };
  }
  const syntaxErrors: ParseError[] = [];
  const tree = parseTree(text, syntaxErrors, { allowTrailingComma: true, disallowComments: false });
  if (syntaxErrors.length > 0) {
    return {
      ok: false,
      diagnostics: capped(syntaxErrors).map((e) => place(e.offset, e.length, [], `JSON syntax error: ${describeSyntaxError(e)}`)),
    };
  }
  if (!tree) return { ok: false, diagnostics: [place(0, 0, [], 'the file holds no JSON value: a policy is a JSON object')] };

  const locate = (problem: PolicyProblem): PolicyDiagnostic => {
    const target = problem.range ?? targetNode(tree, problem);
    return place(target.offset, target.length, problem.path, problem.message, problem.severity);
  };

  const value: unknown = nodeValue(tree);
  const parsed = policySchema.safeParse(value);
  const duplicates = duplicateKeys(tree);
  if (!parsed.success) {
    // Each issue costs a search of the tree, so only as many as can be shown are described.
    const issues = parsed.error.issues.slice(0, MAX_PROBLEMS);
    const problems = [...duplicates, ...withoutTypoTwins(issues.flatMap((issue) => describeIssue(issue, tree)))];
    return { ok: false, diagnostics: capped(problems).map(locate) };
  }
  const problems = [...duplicates, ...checkReferences(parsed.data)];
  const diagnostics = capped(problems).map(locate);
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };
  return { ok: true, policy: parsed.data, diagnostics };
}

/**
 * A misspelt key shows up twice: as an unknown key and as a missing required one. Keep only the unknown key,
 * whose message already says "did you mean".
 */
function withoutTypoTwins(problems: PolicyProblem[]): PolicyProblem[] {
  const suggested = new Set(problems.filter((p) => p.suggestedKey).map((p) => formatJsonPath([...p.path.slice(0, -1), p.suggestedKey!])));
  return problems.filter((p) => !(p.missing && suggested.has(formatJsonPath(p.path))));
}

/** The first `max` problems, plus nothing more: the rest would repeat the same mistake. */
function capped<T>(problems: T[]): T[] {
  return problems.length > MAX_PROBLEMS ? problems.slice(0, MAX_PROBLEMS) : problems;
}

/** jsonc-parser's SyntaxKind values; it is a const enum, which isolated modules cannot read. */
const OPEN_BRACE = 1;
const CLOSE_BRACE = 2;
const OPEN_BRACKET = 3;
const CLOSE_BRACKET = 4;
const EOF = 17;

/** Where nesting first exceeds `max` levels, found with the non-recursive scanner; undefined when it never does. */
function firstOffsetDeeperThan(text: string, max: number): number | undefined {
  const scanner = createScanner(text, false);
  let depth = 0;
  for (let kind: number = scanner.scan(); kind !== EOF; kind = scanner.scan()) {
    if (kind === OPEN_BRACE || kind === OPEN_BRACKET) {
      if (++depth > max) return scanner.getTokenOffset();
    } else if (kind === CLOSE_BRACE || kind === CLOSE_BRACKET) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

function describeSyntaxError(error: ParseError): string {
  const code = printParseErrorCode(error.error);
  const words = code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return `${words}; check the punctuation just before this point`;
}

function targetNode(tree: Node, problem: PolicyProblem): Node {
  if (problem.atKey) {
    const parent = deepestNode(tree, problem.path.slice(0, -1));
    const key = propertyKey(parent, String(problem.path[problem.path.length - 1]));
    if (key) return key;
  }
  return deepestNode(tree, problem.path);
}

/** The node at `path`, or the nearest ancestor that exists (a missing key is reported on its object). */
function deepestNode(tree: Node, path: JsonPath): Node {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = findNodeAtLocation(tree, path.slice(0, depth));
    if (node) return node;
  }
  return tree;
}

function propertyKey(objectNode: Node, key: string): Node | undefined {
  if (objectNode.type !== 'object') return undefined;
  return objectNode.children?.find((property) => property.children?.[0]?.value === key)?.children?.[0];
}

/** Like jsonc-parser's getNodeValue, but keeps the last duplicate key (as JSON.parse does); duplicates are reported separately. */
function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object': {
      const result: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (key && value) result[key.value as string] = nodeValue(value);
      }
      return result;
    }
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

/** Duplicate keys are legal JSON but almost always a mistake: the earlier value would be silently ignored. */
function duplicateKeys(tree: Node, path: JsonPath = []): PolicyProblem[] {
  const problems: PolicyProblem[] = [];
  if (tree.type === 'object') {
    const seen = new Set<string>();
    for (const property of tree.children ?? []) {
      const [key, value] = property.children ?? [];
      if (!key || !value) continue;
      const name = key.value as string;
      if (seen.has(name)) {
        problems.push({
          path: [...path, name],
          message: `"${name}" is given twice; the earlier value would be ignored, keep one`,
          range: { offset: key.offset, length: key.length },
        });
      }
      seen.add(name);
      problems.push(...duplicateKeys(value, [...path, name]));
    }
  } else if (tree.type === 'array') {
    (tree.children ?? []).forEach((child, i) => problems.push(...duplicateKeys(child, [...path, i])));
  }
  return problems;
}

/** Turns one zod issue into problems users can act on. */
function describeIssue(issue: z.core.$ZodIssue, tree: Node): PolicyProblem[] {
  const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = allowedKeys(path);
      return issue.keys.slice(0, MAX_PROBLEMS).map((key) => ({
        path: [...path, key],
        atKey: true,
        suggestedKey: closest(key, allowed),
        message: `unknown key "${key}" in ${formatJsonPath(path)}.${suggestion(key, allowed)}`,
      }));
    }
    case 'invalid_type': {
      const present = findNodeAtLocation(tree, path) !== undefined;
      if (!present) return [{ path, missing: true, message: `missing "${String(path[path.length - 1])}" (${issue.expected} required)` }];
      return [{ path, message: `expected ${article(issue.expected)}, found ${jsonType(findNodeAtLocation(tree, path))}` }];
    }
    case 'invalid_value': {
      const options = issue.values.map((v) => JSON.stringify(v)).join(', ');
      return [{ path, message: `must be ${issue.values.length === 1 ? options : `one of ${options}`}` }];
    }
    default:
      return [{ path, message: issue.message }];
  }
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
  let schema: unknown = policySchema;
  for (const segment of path) {
    schema = unwrap(schema);
    const def = (schema as { _zod: { def: Record<string, unknown> } })._zod.def;
    if (def.type === 'object') schema = (def.shape as Record<string, unknown>)[String(segment)];
    else if (def.type === 'array') schema = def.element;
    else if (def.type === 'record') schema = def.valueType;
    else return [];
    if (!schema) return [];
  }
  const def = (unwrap(schema) as { _zod: { def: Record<string, unknown> } })._zod.def;
  return def.type === 'object' ? Object.keys(def.shape as object) : [];
}

function unwrap(schema: unknown): unknown {
  let current = schema as { _zod: { def: { type: string; innerType?: unknown } } };
  while (['optional', 'default', 'nullable', 'prefault'].includes(current._zod.def.type)) {
    current = current._zod.def.innerType as typeof current;
  }
  return current;
}

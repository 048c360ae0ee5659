/**
 * Turns the text of a policy file into a validated Policy or a list of located diagnostics.
 * Comments and trailing commas are allowed, as in VS Code's own JSON files.
 */
import { parseTree, type ParseError } from 'jsonc-parser';
import { withoutBom } from '../text/bom';
import { decodeText } from '../text/decode';
import { describeSyntaxError, firstOffsetDeeperThan } from '../text/jsonSyntax';
import { formatJsonPath, inReadingOrder, LineIndex, type PolicyDiagnostic, type Severity } from './diagnostics';
import { checkGlobs } from './globChecks';
import { boundWords, describeIssue, protoKeysInRecords } from './issues';
import { duplicateKeys, jsonValue, NodeIndex, protoKeyPaths } from './jsonTree';
import { type JsonPath, MAX_PROBLEMS, type PolicyProblem } from './problems';
import { checkProviders, checkReferences, type KnownProviders } from './references';
import { type Policy, policySchema } from './schema';
import { isBlankPolicy } from './templates';

export type PolicyParseResult =
  | { ok: true; policy: Policy; diagnostics: PolicyDiagnostic[] }
  /** `unreadable`: the file could not be read at all (missing, a folder), so there is nothing in it to fix. */
  | { ok: false; diagnostics: PolicyDiagnostic[]; unreadable?: true };

/**
 * A real policy is a few KB; a file this large is not one, and reading or validating it would stall the editor. Readers
 * check a file's size against it before reading the file.
 */
export const MAX_POLICY_SIZE = 1024 * 1024;
/** A real policy nests about six levels; far deeper input would overflow recursive parsers on the way. */
const MAX_DEPTH = 64;

export interface ParseOptions {
  /** The providers this user has: models naming another one get a warning. Unknown when absent (nothing checked). */
  providers?: KnownProviders;
}

/**
 * Parses and validates a policy file's bytes, with the text the diagnostics' positions refer to. The CLI and the
 * extension both read the file this way, so a file in another encoding gets the same error in either.
 */
export function parsePolicyBytes(bytes: Uint8Array, file: string, options: ParseOptions = {}): PolicyParseResult & { text: string } {
  // The file may have grown since its size was checked.
  if (bytes.length > MAX_POLICY_SIZE) return { ...tooLargePolicy(file, bytes.length), text: '' };
  const { text, problem } = decodeText(bytes);
  if (!problem) return { ...parsePolicy(text, file, options), text };
  const diagnostic = { severity: 'error' as const, file, ...problem, length: 1, path: '(root)' };
  return { ok: false, diagnostics: [diagnostic], text };
}

/** The policy file `file` of `size` bytes (or characters) is too large to be one, so it is not read at all. */
export function tooLargePolicy(file: string, size: number): PolicyParseResult {
  const message = `the file is ${describeSize(size)}; a policy is a few KB, so it was not read (limit ${describeSize(MAX_POLICY_SIZE)})`;
  return { ok: false, diagnostics: [{ severity: 'error', file, line: 1, column: 1, offset: 0, length: 0, path: '(root)', message }] };
}

/** Rounded up, so that a file just over the limit does not read as the limit itself ("1.0 MB; limit 1 MB"). */
function describeSize(bytes: number): string {
  const mb = bytes / 1024 / 1024;
  const [value, unit] = mb >= 1024 ? [mb / 1024, 'GB'] : [mb, 'MB'];
  return Number.isInteger(value) ? `${value} ${unit}` : `${(Math.ceil(value * 10) / 10).toFixed(1)} ${unit}`;
}

/** Parses and validates a policy. `file` only labels the diagnostics. */
export function parsePolicy(source: string, file: string, options: ParseOptions = {}): PolicyParseResult {
  // A byte-order mark (Notepad writes one) is no column in an editor: VS Code drops it when it reads the file, so
  // positions count from the character after it, on the command line as in the Problems panel.
  const text = withoutBom(source);
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

  if (isBlankPolicy(text)) {
    const fill = 'run "Omni: Create Policy" in VS Code or "omni init" in its folder to fill it from a template';
    return { ok: false, diagnostics: [place(0, 0, [], `the file is empty: a policy is a JSON object; ${fill}`)] };
  }
  if (text.length > MAX_POLICY_SIZE) return tooLargePolicy(file, text.length);
  const tooDeep = firstOffsetDeeperThan(text, MAX_DEPTH);
  if (tooDeep !== undefined) {
    return { ok: false, diagnostics: [place(tooDeep, 1, [], `nested deeper than ${MAX_DEPTH} levels; a policy needs about six`)] };
  }
  const syntaxErrors: ParseError[] = [];
  const tree = parseTree(text, syntaxErrors, { allowTrailingComma: true, disallowComments: false });
  if (syntaxErrors.length > 0) {
    return {
      ok: false,
      diagnostics: inReadingOrder(
        capped(syntaxErrors).map((e) => ({ ...place(e.offset, e.length, [], `JSON syntax error: ${describeSyntaxError(e)}`), syntax: true as const })),
      ),
    };
  }
  if (!tree) return { ok: false, diagnostics: [place(0, 0, [], 'the file holds no JSON value: a policy is a JSON object')] };

  const nodes = new NodeIndex(tree);
  const parsed = policySchema.safeParse(jsonValue(tree), { error: boundWords });
  const problems = [
    ...duplicateKeys(tree),
    ...protoKeysInRecords(protoKeyPaths(tree)),
    ...(parsed.success
      ? [
          ...checkReferences(parsed.data),
          ...checkGlobs(parsed.data),
          ...(options.providers ? checkProviders(parsed.data, options.providers) : []),
        ]
      : // zod reports a list's items in order, so the first issues are near the top; more would cost time.
        withoutTypoTwins(capped(parsed.error.issues).flatMap((issue) => describeIssue(issue, nodes)))),
  ];
  // Placing a problem is cheap, finishing its message may not be: only the first ones in the file are described.
  const located = problems
    .map((problem) => ({ problem, at: problem.range ?? targetNode(nodes, problem) }))
    .sort((a, b) => a.at.offset - b.at.offset);
  const diagnostics = inReadingOrder(
    capped(located).map(({ problem, at }) =>
      place(at.offset, at.length, problem.path, problem.message + (problem.hint?.() ?? ''), problem.severity),
    ),
  );
  if (!parsed.success || problems.some((p) => (p.severity ?? 'error') === 'error')) return { ok: false, diagnostics };
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

function targetNode(nodes: NodeIndex, problem: PolicyProblem): { offset: number; length: number } {
  return (problem.atKey && nodes.keyAt(problem.path)) || nodes.nearest(problem.path);
}

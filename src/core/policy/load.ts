/** Finds and reads policy files from disk (Node only; the extension reads through VS Code's file system instead). */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { MAX_POLICY_SIZE, parsePolicyBytes, tooLargePolicy, type ParseOptions, type PolicyParseResult } from './parse';
import { describeFileError } from '../storage/fileErrors';
import { readFileUpTo } from '../storage/readFileUpTo';
import { defaultPolicy } from './templates';
import type { Policy } from './schema';
import type { PolicyDiagnostic } from './diagnostics';

/** Where a workspace keeps its policy, relative to the workspace folder. */
export const POLICY_PATH = join('.omni', 'policies.json');
/** The policy's own routing examples, run by `omni test`. */
export const POLICY_TESTS_PATH = join('.omni', 'policies.test.jsonl');
/** What diagnostics and messages call the built-in policy. */
export const DEFAULT_POLICY_SOURCE = '<built-in default policy>';

/** Reads and validates one policy file; a file that cannot be read is reported as a diagnostic, not thrown. */
export function loadPolicyFile(file: string, options: ParseOptions = {}): PolicyParseResult {
  let bytes: Uint8Array;
  try {
    // The size first: a 500 MB file must not be read into memory to learn that it is too large.
    const read = readFileUpTo(file, MAX_POLICY_SIZE);
    if ('size' in read) return tooLargePolicy(file, read.size);
    bytes = read.bytes;
  } catch (error) {
    const diagnostic: PolicyDiagnostic = {
      severity: 'error',
      file,
      line: 1,
      column: 1,
      offset: 0,
      length: 0,
      path: '(root)',
      message: `cannot read the policy: ${describeFileError(error)}`,
    };
    return { ok: false, diagnostics: [diagnostic], unreadable: true };
  }
  const { text: _text, ...result } = parsePolicyBytes(bytes, file, options);
  return result;
}

/** `.omni/policies.json` in `start` or the nearest folder above it. */
export function findPolicyFile(start: string): string | undefined {
  let folder = resolve(start);
  for (;;) {
    const candidate = join(folder, POLICY_PATH);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}

export type ResolvedPolicy =
  | { ok: true; policy: Policy; source: string; diagnostics: PolicyDiagnostic[] }
  | { ok: false; source: string; diagnostics: PolicyDiagnostic[]; unreadable?: true };

/** The policy a command should use: the explicit file, else the nearest workspace policy, else the built-in default. */
export function resolvePolicy(explicit: string | undefined, cwd: string, options: ParseOptions = {}): ResolvedPolicy {
  const file = explicit ? resolve(cwd, explicit) : findPolicyFile(cwd);
  if (!file) return { ok: true, policy: defaultPolicy(), source: DEFAULT_POLICY_SOURCE, diagnostics: [] };
  return { ...loadPolicyFile(file, options), source: file };
}

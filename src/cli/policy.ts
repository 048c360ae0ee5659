/** Loads the policy a command should use, printing located errors when it is invalid. */
import { formatDiagnostic } from '../core/policy/diagnostics';
import { DEFAULT_POLICY_SOURCE, POLICY_PATH, resolvePolicy } from '../core/policy/load';
import type { Policy } from '../core/policy/schema';
import { printErrorLine } from './terminal';

/** The policy, or undefined after printing why it cannot be used (the caller exits 1). */
export function loadPolicyForCommand(explicit: string | undefined): { policy: Policy; source: string } | undefined {
  const resolved = resolvePolicy(explicit, process.cwd());
  for (const diagnostic of resolved.diagnostics) printErrorLine(formatDiagnostic(diagnostic));
  if (!resolved.ok) {
    if (!resolved.unreadable) printErrorLine(`omni: the policy ${resolved.source} has errors; fix them (or run "omni check") and try again`);
    return undefined;
  }
  return { policy: resolved.policy, source: resolved.source };
}

/**
 * What `check` and `test` say where no policy is found: they exist to test the project's own policy, and a CI step
 * run from the wrong folder must not look as if it had. `alternative` is the command's other way to name what to test.
 */
export function noProjectPolicy(alternative: string): string {
  return `omni: no ${POLICY_PATH} in ${process.cwd()} or any folder above it; run "omni init" there to create one, or ${alternative}`;
}

/**
 * Where advice to change the policy (a model's "contextWindow", Arch-Router's "tokenBudget") sends the user: the
 * policy file in use, or for the built-in policy, which no one can edit, a file of their own.
 */
export function editablePolicy(source: string): string {
  if (source !== DEFAULT_POLICY_SOURCE) return source;
  return `a policy of your own (the built-in one cannot be edited: "omni init" creates ${POLICY_PATH}, or name one with --policy)`;
}

/** Loads the policy a command should use, printing located errors when it is invalid. */
import { formatDiagnostic } from '../core/policy/diagnostics';
import { resolvePolicy } from '../core/policy/load';
import type { Policy } from '../core/policy/schema';

/** The policy, or undefined after printing why it cannot be used (the caller exits 1). */
export function loadPolicyForCommand(explicit: string | undefined): { policy: Policy; source: string } | undefined {
  const resolved = resolvePolicy(explicit, process.cwd());
  for (const diagnostic of resolved.diagnostics) console.error(formatDiagnostic(diagnostic));
  if (!resolved.ok) {
    if (!resolved.unreadable) console.error(`omni: the policy ${resolved.source} has errors; fix them (or run "omni check") and try again`);
    return undefined;
  }
  return { policy: resolved.policy, source: resolved.source };
}

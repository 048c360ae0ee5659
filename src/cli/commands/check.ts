/** `omni check [policy]`: validates a policy and prints `file:line:col: message` per problem. */
import { formatDiagnostic } from '../../core/policy/diagnostics';
import { DEFAULT_POLICY_SOURCE, resolvePolicy } from '../../core/policy/load';
import { parseCommandArgs } from '../args';
import { noProjectPolicy } from '../policy';
import { cliProviders } from '../providers';
import { printErrorLine, printJson, printLine } from '../terminal';
import type { CliCommand } from './index';

const usage = `usage: omni check [policy] [--providers F] [--json]

Validates a policy file (default: .omni/policies.json here or above, else the built-in default policy, which
it says on stderr). Exit code 1 when it has errors.
A model whose provider is neither built in nor in the providers file (--providers or $OMNI_PROVIDERS) gets a warning.
With --json the last line is one JSON object: {"source", "ok", "errors", "warnings", "diagnostics": [{"file", "line",
"column", "severity", "message", "path"}, …]}, and for a valid policy "routes", "models", "rules" (counts) and "mode"; {"ok": false, "exitCode", "error"} when a
providers file stops the check.`;

export const check: CliCommand = {
  summary: 'validate a policy file',
  async run(args) {
    const parsed = parseCommandArgs(args, { providers: { type: 'string' }, json: { type: 'boolean' } }, usage, { command: 'check', max: 1, what: 'one policy file' });
    if (!parsed) return 0;
    const registry = cliProviders(parsed.values.providers);
    const providers = { names: registry.names(), local: registry.localNames(), definedIn: 'a providers file (--providers or $OMNI_PROVIDERS)' };
    const resolved = resolvePolicy(parsed.positionals[0], process.cwd(), { providers });
    if (resolved.source === DEFAULT_POLICY_SOURCE) {
      printErrorLine(`${noProjectPolicy('name the policy file: omni check path/to/policies.json')}. Checking the built-in default policy instead.`);
    }
    for (const diagnostic of resolved.diagnostics) printLine(formatDiagnostic(diagnostic));
    const errors = resolved.diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = resolved.diagnostics.length - errors;
    const summary = {
      source: resolved.source,
      ok: resolved.ok,
      errors,
      warnings,
      diagnostics: resolved.diagnostics.map(({ file, line, column, severity, message, path }) => ({ file, line, column, severity, message, path })),
    };
    if (!resolved.ok) {
      printLine(`${resolved.source}: ${count(errors, 'error')}, ${count(warnings, 'warning')}`);
      if (parsed.values.json) printJson(summary);
      return 1;
    }
    const { policy } = resolved;
    const counts = { routes: policy.routes.length, models: Object.keys(policy.models).length, rules: policy.rules.length };
    printLine(
      `${resolved.source}: OK — ${count(counts.routes, 'route')}, ${count(counts.models, 'model')}, ` +
        `${count(counts.rules, 'rule')}, router mode ${policy.router.mode}${warnings ? `, ${count(warnings, 'warning')}` : ''}`,
    );
    if (parsed.values.json) printJson({ ...summary, ...counts, mode: policy.router.mode });
    return 0;
  },
};

/** `1 route`, `3 routes`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** `omni check [policy]`: validates a policy and prints `file:line:col: message` per problem. */
import { formatDiagnostic } from '../../core/policy/diagnostics';
import { DEFAULT_POLICY_SOURCE, resolvePolicy } from '../../core/policy/load';
import { parseCommandArgs } from '../args';
import { noProjectPolicy } from '../policy';
import { cliProviders } from '../providers';
import type { CliCommand } from './index';

const usage = `usage: omni check [policy] [--providers F]

Validates a policy file (default: .omni/policies.json here or above, else the built-in default policy, which
it says on stderr). Exit code 1 when it has errors.
A model whose provider is neither built in nor in the providers file (--providers or $OMNI_PROVIDERS) gets a warning.`;

export const check: CliCommand = {
  summary: 'validate a policy file',
  async run(args) {
    const parsed = parseCommandArgs(args, { providers: { type: 'string' } }, usage, { command: 'check', max: 1, what: 'one policy file' });
    if (!parsed) return 0;
    const registry = cliProviders(parsed.values.providers);
    const providers = { names: registry.names(), local: registry.localNames(), definedIn: 'a providers file (--providers or $OMNI_PROVIDERS)' };
    const resolved = resolvePolicy(parsed.positionals[0], process.cwd(), { providers });
    if (resolved.source === DEFAULT_POLICY_SOURCE) {
      console.error(`${noProjectPolicy('name the policy file: omni check path/to/policies.json')}. Checking the built-in default policy instead.`);
    }
    for (const diagnostic of resolved.diagnostics) console.log(formatDiagnostic(diagnostic));
    const errors = resolved.diagnostics.filter((d) => d.severity === 'error').length;
    const warnings = resolved.diagnostics.length - errors;
    if (!resolved.ok) {
      console.log(`${resolved.source}: ${count(errors, 'error')}, ${count(warnings, 'warning')}`);
      return 1;
    }
    const { policy } = resolved;
    console.log(
      `${resolved.source}: OK — ${count(policy.routes.length, 'route')}, ${count(Object.keys(policy.models).length, 'model')}, ` +
        `${count(policy.rules.length, 'rule')}, router mode ${policy.router.mode}${warnings ? `, ${count(warnings, 'warning')}` : ''}`,
    );
    return 0;
  },
};

/** `1 route`, `3 routes`. */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** The `--mode` flag shared by route, eval and test, checked against the policy it overrides. */
import { routerSchema, type Policy } from '../../core/policy/schema';
import { UsageError } from '../args';
import { printErrorLine } from '../terminal';

/**
 * The router mode `--mode` asks for, if given. Without `router.archRouter` in the policy, `arch` cannot be
 * honoured, so it is refused (as `omni check` refuses it in a policy). `auto` there means what it means as the
 * policies' default mode, deciding locally, so it is allowed with a note: scripts may pass it to every policy.
 */
export function parseMode(value: string | undefined, loaded: { policy: Policy; source: string }) {
  if (value === undefined) return undefined;
  const mode = routerSchema.shape.mode.unwrap().safeParse(value);
  if (!mode.success) throw new UsageError(`--mode must be local, auto or arch (got "${value}")`);
  if (!loaded.policy.router.archRouter && mode.data !== 'local') {
    const missing = `${loaded.source} has no "router.archRouter"`;
    if (mode.data === 'arch') {
      throw new UsageError(`--mode arch: ${missing}; add one ({"provider": …, "model": "katanemo/Arch-Router-1.5B"}) or use --mode local`);
    }
    printErrorLine(`omni: ${missing}, so --mode auto decides locally, as --mode local does`);
  }
  return mode.data;
}

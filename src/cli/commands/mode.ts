/** The `--mode` flag shared by route, eval and test. */
import { routerSchema } from '../../core/policy/schema';
import { UsageError } from '../args';

export function parseMode(value: string | undefined) {
  if (value === undefined) return undefined;
  const mode = routerSchema.shape.mode.unwrap().safeParse(value);
  if (!mode.success) throw new UsageError(`--mode must be local, auto or arch (got "${value}")`);
  return mode.data;
}

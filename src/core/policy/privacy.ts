/** `privacy.localOnly`: content of matching files may only reach providers on this machine. */
import { fileMatcher } from './fileGlobs';
import type { Policy } from './schema';
import { isLoopbackHost } from '../providers/config';
import type { ChatProvider } from '../providers/types';
import type { OmniRequest } from '../request';

/**
 * For a request that carries a local-only file (the open one, or one an earlier turn of the conversation was asked
 * from): a function telling why a provider may not receive it (undefined = allowed). Undefined when there is none.
 */
export function localOnlyGuard(policy: Policy, request: OmniRequest): ((provider: ChatProvider) => string | undefined) | undefined {
  const globs = policy.privacy?.localOnly ?? [];
  if (globs.length === 0) return undefined;
  // Case-insensitive: on Windows and macOS `Secrets/key.env` is the same file, and a false match only keeps it local.
  const isLocalOnly = fileMatcher(globs, { nocase: true });
  const current = request.editor?.fileName;
  const file = current && isLocalOnly(current) ? current : request.earlierFiles?.find((earlier) => isLocalOnly(earlier));
  if (!file) return undefined;
  const where = file === current ? file : `${file} (from earlier in this conversation)`;
  return (provider) =>
    isLoopbackHost(new URL(provider.origin).hostname)
      ? undefined
      : `${where} may only go to providers on this machine (privacy.localOnly), and ${provider.name} is at ${provider.origin}`;
}

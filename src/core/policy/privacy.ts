/** `privacy.localOnly`: content of matching files may only reach providers on this machine. */
import { fileMatcher } from './fileGlobs';
import type { Policy } from './schema';
import { isLoopbackHost } from '../providers/config';
import type { ChatProvider } from '../providers/types';
import type { OmniRequest } from '../request';

/**
 * For a request about a local-only file: a function telling why a provider may not receive it (undefined = allowed).
 * Undefined when the request carries no local-only file.
 */
export function localOnlyGuard(policy: Policy, request: OmniRequest): ((provider: ChatProvider) => string | undefined) | undefined {
  const globs = policy.privacy?.localOnly ?? [];
  const file = request.editor?.fileName;
  // Case-insensitive: on Windows and macOS `Secrets/key.env` is the same file, and a false match only keeps it local.
  if (!file || globs.length === 0 || !fileMatcher(globs, { nocase: true })(file)) return undefined;
  return (provider) =>
    isLoopbackHost(new URL(provider.origin).hostname)
      ? undefined
      : `${file} may only go to providers on this machine (privacy.localOnly), and ${provider.name} is at ${provider.origin}`;
}

/** `privacy.localOnly`: content of matching files may only reach providers on this machine. */
import { fileMatcher } from './fileGlobs';
import type { Policy } from './schema';
import { isOnThisMachine } from '../providers/config';
import type { ChatProvider } from '../providers/types';
import type { CarriedFile, OmniRequest } from '../request';

/**
 * For a request that carries a local-only file (the open one, one an earlier turn was asked from or quotes, or one
 * the caller names in `carriedFiles`): a function telling why a provider may not receive it (undefined = allowed).
 * Undefined when there is none.
 */
export function localOnlyGuard(policy: Policy, request: OmniRequest): ((provider: ChatProvider) => string | undefined) | undefined {
  const isLocalOnly = localOnlyMatcher(policy);
  const current = request.editor?.fileName;
  const where = current && isLocalOnly(current) ? current : carried(request).find((file) => file.localOnly || isLocalOnly(file.fileName));
  if (!where) return undefined;
  const what = typeof where === 'string' ? where : `${where.fileName} (${where.via})`;
  return (provider) =>
    isOnThisMachine(provider.origin)
      ? undefined
      : `${what} may only go to providers on this machine (privacy.localOnly), and ${provider.name} is at ${provider.origin}`;
}

/** Whether `policy`'s `privacy.localOnly` covers `fileName` (workspace-relative). */
export function localOnlyMatcher(policy: Policy): (fileName: string) => boolean {
  const globs = policy.privacy?.localOnly ?? [];
  // Case-insensitive: on Windows and macOS `Secrets/key.env` is the same file, and a false match only keeps it local.
  return globs.length === 0 ? () => false : fileMatcher(globs, { nocase: true });
}

/** Omni's own label for quoted code (see `userTurnContent`): history written by hand or by older versions has no `fileName`. */
const QUOTED_FILE = /^Selected code from (.+):$/gm;

function carried(request: OmniRequest): CarriedFile[] {
  const earlier = request.messages.slice(0, -1).flatMap((message) => [
    ...(message.fileName ? [message.fileName] : []),
    ...[...message.content.matchAll(QUOTED_FILE)].map((match) => match[1]),
  ]);
  return [...earlier.map((fileName) => ({ fileName, via: 'from earlier in this conversation' })), ...(request.carriedFiles ?? [])];
}

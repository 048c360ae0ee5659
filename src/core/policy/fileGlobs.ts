/** Matching policy globs (`rules[].when.files`, `privacy.localOnly`) against a request's file name. */
import { posix } from 'node:path';
import picomatch from 'picomatch';

/**
 * The one spelling globs are matched against: forward slashes, no `./`, `//` or `a/../` detours. The CLI takes
 * `--file` as typed, so `./secrets/key.env` and `secrets\key.env` must meet the same globs as `secrets/key.env`.
 */
export function normalizeFileName(fileName: string): string {
  const normalized = posix.normalize(fileName.replace(/\\/g, '/'));
  return normalized.startsWith('./') ? normalized.slice(2) : normalized;
}

/** Compiles globs once; the returned test normalizes each file name first. */
export function fileMatcher(globs: readonly string[], options: { nocase?: boolean } = {}): (fileName: string) => boolean {
  const matches = picomatch([...globs], { dot: true, nocase: options.nocase });
  return (fileName) => matches(normalizeFileName(fileName));
}

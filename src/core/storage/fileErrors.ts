/** Why the file system refused a read or a write, in words a user can act on rather than Node's "EISDIR: illegal operation…". */

const WORDS: Readonly<Record<string, string>> = {
  ENOENT: 'file not found',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of its path is a file, not a folder',
  EACCES: 'permission denied; check the permissions of the file and of the folders above it',
  EPERM: 'the operation is not permitted; check the permissions of the file and of the folders above it',
  ELOOP: 'its symbolic links form a loop',
  ENAMETOOLONG: 'the path is too long',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EMFILE: 'too many files are open',
  ENFILE: 'too many files are open',
  EIO: 'the device reported an input/output error',
  ERR_FS_FILE_TOO_LARGE: 'the file is too large to read (2 GB or more)',
};

/** `error` (thrown by node:fs) in words, with its code for a search: "it is a folder, not a file (EISDIR)". */
export function describeFileError(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && WORDS[code]) return `${WORDS[code]} (${code})`;
  // Node's own message already names its code.
  return error instanceof Error ? error.message : String(error);
}

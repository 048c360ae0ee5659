/** File paths as privacy.localOnly must see them: inside a folder or not, and with symbolic links resolved. */
import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';

/** `path` relative to `folder` when it lies inside it (and is not the folder itself). */
export function pathIn(folder: string, path: string): string | undefined {
  const rel = relative(folder, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : undefined;
}

/** The path with every symbolic link resolved, as far as it exists (a file named but not yet created keeps its name). */
export function realPath(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(realPath(parent), basename(path));
  }
}

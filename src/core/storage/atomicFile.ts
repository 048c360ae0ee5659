/** Writes files so that a crash or a killed process mid-write leaves either the old or the new content, never a mix. */
import { randomBytes } from 'node:crypto';
import type { BigIntStats } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';

/**
 * Writes to a temporary file beside `path`, flushes it to disk, then renames it over `path` (atomic on POSIX and NTFS).
 * Resolves with the written file's stats, taken before the rename: a stat after it might see another process's write.
 */
export async function writeFileAtomic(path: string, data: string): Promise<BigIntStats> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temporary, 'w', 0o600);
  let stats: BigIntStats;
  try {
    await handle.writeFile(data, 'utf8');
    await handle.sync();
    stats = await handle.stat({ bigint: true });
  } finally {
    await handle.close();
  }
  try {
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  return stats;
}

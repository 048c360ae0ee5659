/** Reads a small file without ever holding a large one (Node only). */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * The file's bytes when it holds at most `maxBytes`, else its size. At most `maxBytes` + 1 bytes are read, whatever
 * the file's size when it was opened, so a file that grows meanwhile (a checkout writing it) is caught too: reading
 * "the rest" of a file that had become 3 GB took the memory and seconds that checking the size was meant to save.
 * Throws what opening or reading throws (ENOENT, EISDIR…).
 */
export function readFileUpTo(path: string, maxBytes: number): { bytes: Uint8Array } | { size: number } {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return length > maxBytes ? { size: fstatSync(fd).size } : { bytes: buffer.subarray(0, length) };
  } finally {
    closeSync(fd);
  }
}

/**
 * One JSON file per record in a folder, each written atomically and validated on read. A record that cannot be
 * read (hand-edited, or from a future version) is skipped and reported, never allowed to hide the others.
 */
import type { BigIntStats } from 'node:fs';
import { mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomicFile';

const SAFE_ID = /^[A-Za-z0-9_-]{1,100}$/;

export class JsonDirectory<T> {
  constructor(
    private readonly folder: string,
    private readonly schema: z.core.$ZodType<T>,
    private readonly onSkipped: (file: string, reason: string) => void = () => undefined,
  ) {}

  /** The last change of each record still being written: a record's changes land in the order they were made. */
  private readonly pending = new Map<string, Promise<unknown>>();

  /**
   * Writes `value` as it is now; a later put or delete of the same id lands after this one. Resolves with the stamp
   * of what it wrote (see stamps).
   */
  put(id: string, value: T): Promise<string> {
    const data = JSON.stringify(value);
    return this.inOrder(id, async () => {
      await mkdir(this.folder, { recursive: true });
      return stampOf(await writeFileAtomic(this.file(id), data));
    });
  }

  async get(id: string): Promise<T | undefined> {
    return this.read(this.file(id));
  }

  delete(id: string): Promise<void> {
    return this.inOrder(id, () =>
      unlink(this.file(id)).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ENOENT') throw error;
      }),
    );
  }

  private inOrder<R>(id: string, change: () => Promise<R>): Promise<R> {
    const done = (this.pending.get(id) ?? Promise.resolve()).catch(() => undefined).then(change);
    this.pending.set(id, done);
    const forget = () => {
      if (this.pending.get(id) === done) this.pending.delete(id);
    };
    done.then(forget, forget);
    return done;
  }

  /**
   * The id of every record on disk, with a stamp that changes whenever its file is written, by this process or
   * another (each write makes a new file, renamed over the old). Leftovers of interrupted writes (`*.tmp`) and
   * files that are not named as records are not listed.
   */
  async stamps(): Promise<Map<string, string>> {
    let names: string[];
    try {
      names = await readdir(this.folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw error;
    }
    const ids = names.flatMap((name) => (name.endsWith('.json') && SAFE_ID.test(name.slice(0, -5)) ? [name.slice(0, -5)] : []));
    const stamped = await Promise.all(
      ids.map((id) =>
        stat(this.file(id), { bigint: true }).then(
          (stats) => [[id, stampOf(stats)] as const],
          // Deleted since the folder was read.
          (error: NodeJS.ErrnoException) => {
            if (error.code === 'ENOENT') return [];
            throw error;
          },
        ),
      ),
    );
    return new Map(stamped.flat());
  }

  private file(id: string): string {
    if (!SAFE_ID.test(id)) throw new Error(`invalid record id "${id}"`);
    return join(this.folder, `${id}.json`);
  }

  private async read(file: string): Promise<T | undefined> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      this.onSkipped(file, (error as Error).message);
      return undefined;
    }
    try {
      const parsed = z.safeParse(this.schema, JSON.parse(text));
      if (parsed.success) return parsed.data;
      this.onSkipped(file, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    } catch (error) {
      this.onSkipped(file, `not valid JSON (${(error as Error).message})`);
    }
    return undefined;
  }
}

/** Which write of a file this is: a write renames a new file (a new inode) over the old one, with its own time. */
function stampOf(stats: BigIntStats): string {
  return `${stats.ino}:${stats.mtimeNs}:${stats.size}`;
}

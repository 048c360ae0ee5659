/**
 * One JSON file per record in a folder, each written atomically and validated on read. A record that cannot be
 * read (hand-edited, or from a future version) is skipped and reported, never allowed to hide the others.
 */
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
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
  private readonly pending = new Map<string, Promise<void>>();

  /** Writes `value` as it is now; a later put or delete of the same id lands after this one. */
  put(id: string, value: T): Promise<void> {
    const data = JSON.stringify(value);
    return this.inOrder(id, async () => {
      await mkdir(this.folder, { recursive: true });
      await writeFileAtomic(this.file(id), data);
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

  private inOrder(id: string, change: () => Promise<void>): Promise<void> {
    const done = (this.pending.get(id) ?? Promise.resolve()).catch(() => undefined).then(change);
    this.pending.set(id, done);
    const forget = () => {
      if (this.pending.get(id) === done) this.pending.delete(id);
    };
    done.then(forget, forget);
    return done;
  }

  /** Every readable record; leftovers of interrupted writes (`*.tmp`) are ignored. */
  async list(): Promise<T[]> {
    let names: string[];
    try {
      names = await readdir(this.folder);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const records = await Promise.all(names.filter((n) => n.endsWith('.json')).map((n) => this.read(join(this.folder, n))));
    return records.filter((r): r is Awaited<T> => r !== undefined);
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

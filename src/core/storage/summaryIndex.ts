/**
 * A JsonDirectory's records with a small index of their summaries beside them, so listing the summaries reads only
 * the records written since the index saw them, not every one. The index is a cache: each entry holds the stamp of
 * the file it was made from, and every listing checks those stamps against the folder, so a file written or deleted
 * by another process, or a crash between writing a record and the index, costs a read, never a stale or lost summary.
 * A missing or unreadable index is rebuilt from the records.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from './atomicFile';
import type { JsonDirectory } from './jsonDirectory';

/** Not `*.json`, so never taken for a record. */
export const SUMMARY_INDEX_FILE = 'summaries.index';

type Entries<S> = Map<string, { stamp: string; summary: S }>;

export class SummaryIndex<T, S> {
  private readonly path: string;
  private readonly fileSchema: z.ZodType<{ version: 1; records: Record<string, { stamp: string; summary: S }> }>;
  private loaded?: Promise<Entries<S>>;
  /** The index file being written, and whether another write is queued after it. */
  private writing: Promise<void> = Promise.resolve();
  private writeQueued = false;

  constructor(
    private readonly records: JsonDirectory<T>,
    folder: string,
    summarySchema: z.core.$ZodType<S>,
    private readonly summarize: (record: T) => S,
  ) {
    this.path = join(folder, SUMMARY_INDEX_FILE);
    this.fileSchema = z.object({ version: z.literal(1), records: z.record(z.string(), z.object({ stamp: z.string(), summary: summarySchema })) });
  }

  async put(id: string, record: T): Promise<void> {
    // Summarized as it is now: that is what put writes.
    const summary = this.summarize(record);
    const stamp = await this.records.put(id, record);
    (await this.entries()).set(id, { stamp, summary });
    await this.write();
  }

  async delete(id: string): Promise<void> {
    await this.records.delete(id);
    (await this.entries()).delete(id);
    await this.write();
  }

  /** The summary of every readable record. */
  async summaries(): Promise<S[]> {
    const entries = await this.entries();
    const stamps = await this.records.stamps();
    let changed = false;
    for (const id of entries.keys()) {
      if (stamps.has(id)) continue;
      entries.delete(id);
      changed = true;
    }
    await Promise.all(
      [...stamps].map(async ([id, stamp]) => {
        if (entries.get(id)?.stamp === stamp) return;
        // Stamped before it is read: if the file changes in between, the entry is stamped older than its summary and
        // is read again next time, never the other way round.
        const record = await this.records.get(id);
        changed = true;
        if (record === undefined) entries.delete(id);
        else entries.set(id, { stamp, summary: this.summarize(record) });
      }),
    );
    if (changed) await this.write();
    return [...stamps.keys()].flatMap((id) => entries.get(id)?.summary ?? []);
  }

  private entries(): Promise<Entries<S>> {
    this.loaded ??= readFile(this.path, 'utf8').then(
      (text) => {
        try {
          const parsed = z.safeParse(this.fileSchema, JSON.parse(text));
          return new Map(parsed.success ? Object.entries(parsed.data.records) : []);
        } catch {
          return new Map();
        }
      },
      () => new Map(),
    );
    return this.loaded;
  }

  /** Writes the index as it is when the write starts; saves in quick succession make one write. */
  private write(): Promise<void> {
    if (this.writeQueued) return this.writing;
    this.writeQueued = true;
    this.writing = this.writing.then(async () => {
      this.writeQueued = false;
      const records = Object.fromEntries(await this.entries());
      // Only a cache: a folder that takes records but not the index (full disk) costs reads, and the record's own
      // write has reported the problem.
      await writeFileAtomic(this.path, JSON.stringify({ version: 1, records })).catch(() => undefined);
    });
    return this.writing;
  }
}

/**
 * Runs tasks one at a time per key, in the order they were queued. A policy folder reloaded twice in quick
 * succession (two saves) must not have the first read, if it finishes last, overwrite what the second one read.
 */
export class PerKeyQueue {
  private readonly tails = new Map<string, Promise<void>>();

  /** Settles as `task` does; a task that throws rejects its own promise but does not stop the ones queued after it. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task);
    const done = result.then(() => undefined, () => undefined);
    this.tails.set(key, done);
    // The map holds only keys with work pending, not every folder ever reloaded.
    void done.then(() => {
      if (this.tails.get(key) === done) this.tails.delete(key);
    });
    return result;
  }
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PerKeyQueue } from '../../src/vscode/perKeyQueue';

/** A task whose end the test decides, so a later task can be made to finish first if nothing orders them. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

describe('PerKeyQueue', () => {
  it('starts a key\'s second task only after its first has finished, so the later read is the one that stays', async () => {
    const queue = new PerKeyQueue();
    const events: string[] = [];
    const slowRead = gate();
    const first = queue.run('folder', async () => {
      events.push('first started');
      await slowRead.promise;
      events.push('first done');
    });
    const second = queue.run('folder', async () => {
      events.push('second started');
    });
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(events, ['first started']);
    slowRead.open();
    await Promise.all([first, second]);
    assert.deepEqual(events, ['first started', 'first done', 'second started']);
  });

  it('runs different keys side by side', async () => {
    const queue = new PerKeyQueue();
    const blocked = gate();
    let otherRan = false;
    const a = queue.run('a', () => blocked.promise);
    await queue.run('b', async () => {
      otherRan = true;
    });
    assert.equal(otherRan, true);
    blocked.open();
    await a;
  });

  it('rejects with a task\'s error and still runs the next task of its key', async () => {
    const queue = new PerKeyQueue();
    const failed = queue.run('folder', async () => {
      throw new Error('unreadable');
    });
    let ran = false;
    await queue.run('folder', async () => {
      ran = true;
    });
    await assert.rejects(failed, /unreadable/);
    assert.equal(ran, true);
  });
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { z } from 'zod';
import { JsonDirectory } from '../../../src/core/storage/jsonDirectory';
import { scratchDir } from '../../support/scratch';

const recordSchema = z.object({ n: z.number(), payload: z.string() });
const folder = () => scratchDir('omni-store-');

/** Every readable record, by id. */
async function readAll<T>(store: JsonDirectory<T>): Promise<T[]> {
  const ids = [...(await store.stamps()).keys()].sort();
  return (await Promise.all(ids.map((id) => store.get(id)))).filter((record) => record !== undefined);
}

describe('JsonDirectory', () => {
  it('stores, lists, reads and deletes records', async () => {
    const store = new JsonDirectory(folder(), recordSchema);
    const stamp = await store.put('a', { n: 1, payload: 'x' });
    await store.put('b', { n: 2, payload: 'y' });
    assert.deepEqual(await readAll(store), [{ n: 1, payload: 'x' }, { n: 2, payload: 'y' }]);
    assert.equal((await store.stamps()).get('a'), stamp, 'a stamp is what put returned until the record is written again');
    assert.notEqual(await store.put('a', { n: 1, payload: 'x' }), stamp, 'the same content written again is another write');
    assert.deepEqual(await store.get('a'), { n: 1, payload: 'x' });
    await store.delete('a');
    assert.equal(await store.get('a'), undefined);
    await store.delete('a');
  });

  it('lands changes of one record in the order they were made, however their writes interleave', async () => {
    const store = new JsonDirectory(folder(), recordSchema);
    // A large record first: unordered, its write would finish after the small ones made later.
    const record = { n: 0, payload: 'x'.repeat(5_000_000) };
    const writes = [store.put('a', record)];
    record.n = 1; // changed after put: the put wrote the record as it was then
    for (let n = 2; n <= 20; n++) writes.push(store.put('a', { n, payload: 'small' }));
    await Promise.all(writes);
    assert.equal((await store.get('a'))?.n, 20);
    await Promise.all([store.put('b', record), store.delete('b')]);
    assert.equal(await store.get('b'), undefined, 'a delete made after a write is not undone by it');
  });

  it('skips and reports a corrupt record without hiding the others', async () => {
    const dir = folder();
    const skipped: string[] = [];
    const store = new JsonDirectory(dir, recordSchema, (file, reason) => skipped.push(`${file}: ${reason}`));
    await store.put('good', { n: 1, payload: 'ok' });
    writeFileSync(join(dir, 'broken.json'), '{"n": 2, "payl');
    writeFileSync(join(dir, 'wrong.json'), '{"n": "two"}');
    assert.deepEqual(await readAll(store), [{ n: 1, payload: 'ok' }]);
    assert.equal(skipped.length, 2);
    assert.match(skipped.join('\n'), /broken\.json: not valid JSON/);
  });

  it('refuses ids that could escape the folder', async () => {
    const store = new JsonDirectory(folder(), recordSchema);
    await assert.rejects(store.put('../evil', { n: 1, payload: '' }), /invalid record id/);
  });

  it('never loses or corrupts records when the writing process is killed mid-write', { timeout: 60_000 }, async () => {
    const dir = folder();
    const store = new JsonDirectory(dir, recordSchema);
    await store.put('earlier', { n: -1, payload: 'kept' });
    const tsx = resolve('node_modules/tsx/dist/loader.mjs');
    for (let round = 0; round < 8; round++) {
      const child = spawn(process.execPath, ['--import', tsx, resolve('test/core/storage/writer-child.ts'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((ready) => child.stdout.once('data', () => ready()));
      await new Promise((r) => setTimeout(r, 20 + round * 13));
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited;
      const busy = await store.get('busy');
      assert.ok(busy, `round ${round}: the record being rewritten is still readable`);
      assert.equal(busy.payload, String(busy.n).repeat(200_000), `round ${round}: content is one whole version`);
      assert.deepEqual(await store.get('earlier'), { n: -1, payload: 'kept' });
    }
    const leftovers = readdirSync(dir).filter((f) => f.endsWith('.tmp'));
    assert.deepEqual([...(await store.stamps()).keys()].sort(), ['busy', 'earlier'], `leftover temporary files are ignored (${leftovers.length} present)`);
  });
});

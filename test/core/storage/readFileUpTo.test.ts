// Reading a policy-sized file without ever reading a large one.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readFileUpTo } from '../../../src/core/storage/readFileUpTo';

describe('readFileUpTo', () => {
  const dir = mkdtempSync(join(tmpdir(), 'omni-read-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('gives the bytes of a file up to the limit, the limit itself included', () => {
    const file = join(dir, 'small.json');
    writeFileSync(file, '{"version": 1}');
    assert.deepEqual(readFileUpTo(file, 14), { bytes: Buffer.from('{"version": 1}') });
  });

  test('gives only the size of a larger file, sparse 3 GB included, reading no more than one byte past the limit', () => {
    const file = join(dir, 'large.json');
    writeFileSync(file, '');
    truncateSync(file, 3 * 1024 ** 3);
    assert.deepEqual(readFileUpTo(file, 1024 * 1024), { size: 3 * 1024 ** 3 });
    writeFileSync(file, '{"version": 1}');
    assert.deepEqual(readFileUpTo(file, 13), { size: 14 });
  });

  test('throws what reading a folder or a missing file throws', () => {
    assert.throws(() => readFileUpTo(dir, 10), { code: 'EISDIR' });
    assert.throws(() => readFileUpTo(join(dir, 'missing.json'), 10), { code: 'ENOENT' });
  });
});

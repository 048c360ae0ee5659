import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadPolicyFile } from '../../../src/core/policy/load';
import { parsePolicyBytes } from '../../../src/core/policy/parse';
import { scratchDir } from '../../support/scratch';
import { columnOf, valid } from './policyText';

/** `valid` with a non-ASCII character in a route's description, where the test looks for it. */
const accented = valid.replace('"writing new code"', '"writing new code, café"');

describe('policy file encodings', () => {
  it('reports a Latin-1 file at its first non-UTF-8 byte, saying to save it as UTF-8, instead of reading U+FFFD', () => {
    const file = join(scratchDir('omni-encoding-'), 'policies.json');
    writeFileSync(file, Buffer.from(accented, 'latin1'));
    const result = loadPolicyFile(file);
    assert.equal(result.ok, false);
    const [d] = result.diagnostics;
    assert.equal(result.diagnostics.length, 1);
    assert.deepEqual([d.line, d.column], [9, columnOf(accented, 9, 'é')]);
    assert.match(d.message, /^byte 0xE9 is not UTF-8: the file must be saved as UTF-8/);
  });

  it('reads UTF-16 with a byte-order mark, either byte order, as the text it holds, with positions as an editor shows them', () => {
    const littleEndian = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(accented, 'utf16le')]);
    const bigEndian = Buffer.from(littleEndian).swap16();
    for (const bytes of [littleEndian, bigEndian]) {
      const result = parsePolicyBytes(bytes, 'p.json');
      assert.ok(result.ok, JSON.stringify(result.diagnostics));
      assert.equal(result.policy.routes[0].description, 'writing new code, café');
      assert.equal(result.text, accented);
    }
    const broken = parsePolicyBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(accented.replace('"version": 1,', '"version": 1,,'), 'utf16le')]), 'p.json');
    assert.equal(broken.ok, false);
    assert.equal(broken.diagnostics[0].line, 3);
  });

  it('says a UTF-16 file without a byte-order mark looks like one, at its first character, instead of a column of syntax errors', () => {
    const result = parsePolicyBytes(Buffer.from(valid, 'utf16le'), 'p.json');
    assert.equal(result.ok, false);
    assert.equal(result.diagnostics.length, 1);
    assert.deepEqual([result.diagnostics[0].line, result.diagnostics[0].column], [1, 2]);
    assert.match(result.diagnostics[0].message, /looks like UTF-16 without a byte-order mark; the file must be saved as UTF-8/);
  });

  it('still reads UTF-8 with a byte-order mark, and a U+FFFD the file really holds', () => {
    const text = valid.replace('"writing new code"', '"writing new code \uFFFD"');
    const result = parsePolicyBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), 'p.json');
    assert.ok(result.ok, JSON.stringify(result.diagnostics));
    assert.equal(result.policy.routes[0].description, 'writing new code \uFFFD');
  });

  it('places the first bad byte after multi-byte characters by the characters an editor counts', () => {
    // "é" (2 bytes) and "😀" (4 bytes, 2 UTF-16 units) before a lone continuation byte.
    const bytes = Buffer.concat([Buffer.from('{"a": "é😀'), Buffer.from([0x80]), Buffer.from('"}')]);
    const [d] = parsePolicyBytes(bytes, 'p.json').diagnostics;
    assert.deepEqual([d.line, d.column, d.offset], [1, 11, 10]);
    assert.match(d.message, /^byte 0x80 /);
  });
});

import assert from 'node:assert/strict';
import { mkdirSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { formatDiagnostic } from '../../../src/core/policy/diagnostics';
import { DEFAULT_POLICY_SOURCE, findPolicyFile, loadPolicyFile, resolvePolicy } from '../../../src/core/policy/load';
import { templateText } from '../../../src/core/policy/templates';
import { scratchDir } from '../../support/scratch';

function workspace(): string {
  const root = scratchDir('omni-policy-');
  mkdirSync(join(root, '.omni'));
  writeFileSync(join(root, '.omni', 'policies.json'), templateText('ollama'));
  mkdirSync(join(root, 'src', 'deep'), { recursive: true });
  return root;
}

describe('policy files on disk', () => {
  it('finds .omni/policies.json from a nested folder', () => {
    const root = workspace();
    assert.equal(findPolicyFile(join(root, 'src', 'deep')), join(root, '.omni', 'policies.json'));
  });

  it('falls back to the built-in default when no policy exists', () => {
    const empty = scratchDir('omni-none-');
    const resolved = resolvePolicy(undefined, empty);
    assert.ok(resolved.ok);
    assert.equal(resolved.source, DEFAULT_POLICY_SOURCE);
    assert.equal(resolved.policy.defaultRoute, 'general_chat');
  });

  it('reports a missing explicit file as a located error instead of throwing', () => {
    const result = loadPolicyFile('/nonexistent/policies.json');
    assert.equal(result.ok, false);
    assert.match(result.diagnostics[0].message, /file not found/);
    assert.equal(result.diagnostics[0].line, 1);
  });
});

describe('a policy file over the size limit', () => {
  it('is refused from its size, without being read, naming the file, its size and the limit', () => {
    const root = workspace();
    const file = join(root, '.omni', 'policies.json');
    // Sparse: 3 GB on paper, nothing on disk. Reading it whole would fail ("2 GB or more") or exhaust memory.
    truncateSync(file, 3 * 1024 ** 3);
    const started = performance.now();
    const resolved = resolvePolicy(undefined, join(root, 'src'));
    assert.equal(resolved.ok, false);
    assert.equal(resolved.source, file);
    assert.deepEqual(resolved.diagnostics.map(formatDiagnostic), [
      `${file}:1:1: error: the file is 3 GB; a policy is a few KB, so it was not read (limit 1 MB) (at (root))`,
    ]);
    assert.ok(performance.now() - started < 1000, 'the size is known without reading the file');
  });

  it('is measured rounded up, so a file just over the limit does not read as the limit', () => {
    const root = workspace();
    const file = join(root, '.omni', 'policies.json');
    truncateSync(file, 1024 * 1024 + 1);
    assert.match(loadPolicyFile(file).diagnostics[0].message, /^the file is 1\.1 MB; .*\(limit 1 MB\)$/);
  });
});

import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
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

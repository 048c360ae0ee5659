import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RuleEntry } from '../../../src/core/policy/schema';
import { compileRules } from '../../../src/core/router/rules';

const rules: RuleEntry[] = [
  { when: { command: 'explain' }, route: 'code_explanation' },
  { when: { files: ['**/*.sql'] }, route: 'data_sql' },
  { when: { languages: ['shellscript'], hasSelection: true }, route: 'devops_shell' },
  { when: { command: ['refactor'], files: ['src/**'] }, route: 'refactoring' },
];
const match = compileRules(rules);

describe('rules', () => {
  it('matches a command', () => {
    assert.equal(match({ command: 'explain', fileName: 'a.sql' })?.rule.route, 'code_explanation');
  });

  it('the first matching rule wins', () => {
    assert.equal(match({ command: 'explain', fileName: 'q.sql' })?.number, 1);
  });

  it('matches a glob on the workspace-relative path, at any depth', () => {
    assert.equal(match({ fileName: 'db/migrations/001.sql' })?.rule.route, 'data_sql');
    assert.equal(match({ fileName: 'top.sql' })?.rule.route, 'data_sql');
    assert.equal(match({ fileName: 'db\\win\\q.sql' })?.rule.route, 'data_sql');
  });

  it('requires every condition of a rule', () => {
    assert.equal(match({ languageId: 'shellscript' }), undefined);
    assert.equal(match({ languageId: 'shellscript', selection: '   ' }), undefined);
    assert.equal(match({ languageId: 'shellscript', selection: 'ls -la' })?.rule.route, 'devops_shell');
    assert.equal(match({ command: 'refactor', fileName: 'test/x.ts' }), undefined);
    assert.equal(match({ command: 'refactor', fileName: 'src/x.ts' })?.rule.route, 'refactoring');
  });

  it('treats a request without editor context as a chat with no file', () => {
    assert.equal(match(undefined), undefined);
  });

  it('describes what matched, for the decision reason', () => {
    assert.equal(match({ fileName: 'q.sql' })?.summary, 'files **/*.sql');
    assert.equal(match({ languageId: 'shellscript', selection: 'x' })?.summary, 'language shellscript, with a selection');
  });
});

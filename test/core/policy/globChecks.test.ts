import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorsOf, valid, warningsOf } from './policyText';

/** The valid policy with its one rule matching `glob`. */
const withGlob = (glob: string) => valid.replace('["**/*.sql"]', JSON.stringify([glob]));

describe('policy globs', () => {
  it('rejects a glob too long to compile, instead of letting every request fail on it', () => {
    const [d] = errorsOf(withGlob('a'.repeat(70_000)));
    assert.equal(d.path, 'rules[0].when.files[0]');
    assert.match(d.message, /a glob is at most 1024 characters/);
  });

  it('reports a glob that cannot compile, with the reason, at the glob', () => {
    for (const [glob, reason] of [['**/*.{sql', 'unterminated group'], ['[z-a].sql', 'range out of order']]) {
      const [d] = errorsOf(withGlob(glob));
      assert.equal(d.path, 'rules[0].when.files[0]');
      assert.equal(d.line, 12);
      assert.match(d.message, new RegExp(`is not a valid glob \\(${reason}`));
    }
  });

  it('warns about backslashes and offers the forward-slash spelling', () => {
    const [d] = warningsOf(withGlob('src\\db\\*.sql'));
    assert.equal(d.severity, 'warning');
    assert.match(d.message, /use forward slashes: globs match workspace-relative paths with \/\. Did you mean "src\/db\/\*\.sql"\?/);
  });

  it('warns about a bracket or brace that closes nothing, which picomatch takes literally, and offers the glob without it', () => {
    const cases = [
      ['**/*.{ts,tsx}}', 'a "}" that closes no "{"', '**/*.{ts,tsx}'],
      ['src/db]/*.sql', 'a "]" that closes no "["', 'src/db/*.sql'],
      ['src/[ab/*.sql', 'a "[" that no "]" closes', 'src/ab/*.sql'],
    ];
    for (const [glob, what, meant] of cases) {
      const [d] = warningsOf(withGlob(glob));
      assert.equal(d.path, 'rules[0].when.files[0]');
      assert.equal(d.message, `${JSON.stringify(glob)} has ${what}, which a glob takes as a literal character, so it matches only file names containing one. Did you mean ${JSON.stringify(meant)}?`);
    }
    assert.deepEqual(warningsOf(withGlob('src/{db,sql/{a,b}}/[]x]*.sql')), []);
  });

  it('warns that an absolute glob never matches a workspace-relative path', () => {
    for (const glob of ['/home/me/project/**/*.sql', 'C:/work/**/*.sql']) {
      const [d] = warningsOf(withGlob(glob));
      assert.equal(d.severity, 'warning');
      assert.match(d.message, /absolute path, which never matches/, glob);
    }
  });

  it('warns about gitignore habits that protect nothing: a folder glob ending in "/", and "*.env" at the top only', () => {
    const privacy = (globs: string[]) => warningsOf(valid.replace('"defaultRoute"', `"privacy": { "localOnly": ${JSON.stringify(globs)} },\n  "defaultRoute"`));
    const [folder, top] = privacy(['secrets/', '*.env']);
    assert.equal(folder.path, 'privacy.localOnly[0]');
    assert.match(folder.message, /^"secrets\/" ends with "\/", and globs match file paths, so it matches no file\. Did you mean "secrets\/\*\*"\?/);
    assert.equal(top.path, 'privacy.localOnly[1]');
    assert.match(top.message, /^"\*\.env" matches only files at the top of the workspace folder\. Did you mean "\*\*\/\*\.env"\?/);
    assert.deepEqual(privacy(['secrets/**', '**/*.env', 'Makefile', 'config/*.env']), []);
  });

  it('checks privacy.localOnly globs too', () => {
    const [d] = errorsOf(valid.replace('"defaultRoute"', '"privacy": { "localOnly": ["secrets/**", "**/*.{env"] },\n  "defaultRoute"'));
    assert.equal(d.path, 'privacy.localOnly[1]');
    assert.match(d.message, /not a valid glob/);
  });
});

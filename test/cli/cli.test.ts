import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { templateText } from '../../src/core/policy/templates';

const main = resolve('src/cli/main.ts');
// The CLI runs in temporary folders, where the bare name "tsx" would not resolve.
const tsx = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;

/** Runs the real CLI entry in a child process, as a user would (through tsx, so no build is needed). */
function omni(args: string[], cwd = process.cwd()) {
  const result = spawnSync(process.execPath, ['--import', tsx, main, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, OMNI_PROVIDERS: '', HF_TOKEN: '' },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function workspace(policyText: string, tests?: string): string {
  const root = mkdtempSync(join(tmpdir(), 'omni-cli-'));
  mkdirSync(join(root, '.omni'));
  writeFileSync(join(root, '.omni', 'policies.json'), policyText);
  if (tests !== undefined) writeFileSync(join(root, '.omni', 'policies.test.jsonl'), tests);
  return root;
}

const localPolicy = templateText('openai');

describe('omni CLI', () => {
  it('check prints file:line:col per error and exits 1', () => {
    const root = workspace(localPolicy.replace('"model": "coder"', '"model": "codr"'));
    const { code, stdout } = omni(['check'], root);
    assert.equal(code, 1);
    assert.match(stdout, /policies\.json:\d+:\d+: error: no model "codr" in "models"\. Did you mean "coder"\?/);
  });

  it('check exits 0 on a valid policy', () => {
    const { code, stdout } = omni(['check', 'policies/ollama.json']);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /OK — 10 routes, 3 models/);
  });

  it('route prints the decision and why, and --json gives the decision object', () => {
    const root = workspace(localPolicy);
    const text = omni(['route', 'explain this', '--command', 'explain'], root);
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /^code_explanation → coder \(gpt-5 via openai\)\nwhy: rule 1: command explain → code_explanation/);
    const json = omni(['route', 'anything', '--file', 'db/q.sql', '--json'], root);
    assert.equal(JSON.parse(json.stdout).stage, 'rule');
  });

  it('route matches file globs on --file given as an absolute path inside the workspace, or spelt with ./ or backslashes', () => {
    const root = workspace(localPolicy);
    for (const file of [join(root, 'db', 'q.sql'), './db/q.sql', 'db\\q.sql']) {
      const { code, stdout, stderr } = omni(['route', 'anything', '--file', file, '--json'], root);
      assert.equal(code, 0, stderr);
      assert.equal(JSON.parse(stdout).stage, 'rule', file);
    }
  });

  it('route reads the selection from a file', () => {
    const root = workspace(localPolicy);
    writeFileSync(join(root, 'sel.txt'), 'Traceback (most recent call last):\n  File "a.py", line 3\nKeyError: 1');
    const { stdout } = omni(['route', 'what is going on here', '--selection-file', 'sel.txt', '--lang', 'python', '--json'], root);
    assert.equal(JSON.parse(stdout).stage, 'local');
  });

  it('route reads earlier turns from a file, and they count', () => {
    const root = workspace(localPolicy);
    writeFileSync(join(root, 'history.json'), JSON.stringify([{ role: 'user', content: 'write a python function that parses a CSV line' }]));
    const codeScore = (args: string[]) => {
      const { code, stdout, stderr } = omni(['route', 'now one for lines separated by semicolons', '--json', ...args], root);
      assert.equal(code, 0, stderr);
      return (JSON.parse(stdout) as { scores: Array<{ route: string; score: number }> }).scores.find((s) => s.route === 'code_generation')!.score;
    };
    assert.ok(codeScore(['--history-file', 'history.json']) > 5 * codeScore([]), 'the CSV-parser request makes the follow-up look like code');

    writeFileSync(join(root, 'bad.json'), JSON.stringify([{ role: 'bot', text: 'hi' }]));
    const bad = omni(['route', 'x', '--history-file', 'bad.json'], root);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--history-file: bad\.json must be a JSON array .*0\.role: .*0\.content: /);
  });

  it('rejects a bad --command with the allowed values', () => {
    const { code, stderr } = omni(['route', 'x', '--command', 'rewrite']);
    assert.equal(code, 2);
    assert.match(stderr, /--command must be chat, explain or refactor/);
  });

  it('eval prints accuracy and ends with one JSON object when --json is given', () => {
    const root = workspace(localPolicy);
    const data = [
      { prompt: 'explain it', command: 'explain', route_fine: 'code_explanation' },
      { prompt: 'x', fileName: 'a.sql', route_fine: 'data_sql' },
      { prompt: 'x', fileName: 'b.sql', route_fine: 'general_chat' },
    ];
    writeFileSync(join(root, 'data.jsonl'), data.map((d) => JSON.stringify(d)).join('\n'));
    const { code, stdout } = omni(['eval', 'data.jsonl', '--label', 'route_fine', '--json'], root);
    assert.equal(code, 0);
    assert.match(stdout, /accuracy 0\.667 \(2\/3\)/);
    const summary = JSON.parse(stdout.trim().split('\n').at(-1)!);
    assert.equal(summary.n, 3);
    assert.equal(summary.accuracy, 2 / 3);
    assert.equal(typeof summary.p50Ms, 'number');
    assert.equal(typeof summary.p99Ms, 'number');
  });

  it('eval names the line of a broken data file', () => {
    const root = workspace(localPolicy);
    writeFileSync(join(root, 'data.jsonl'), '{"prompt": "a", "route_fine": "general_chat"}\n{oops\n');
    const { code, stderr } = omni(['eval', 'data.jsonl', '--label', 'route_fine'], root);
    assert.equal(code, 1);
    assert.match(stderr, /data\.jsonl:2: not valid JSON/);
  });

  it('test passes on matching examples and exits 1 naming the line of a mismatch', () => {
    const good = '{"prompt": "explain", "command": "explain", "route": "code_explanation"}\n';
    assert.equal(omni(['test'], workspace(localPolicy, good)).code, 0);
    const bad = `${good}{"prompt": "x", "fileName": "q.sql", "route": "general_chat"}\n`;
    const { code, stdout } = omni(['test'], workspace(localPolicy, bad));
    assert.equal(code, 1);
    assert.match(stdout, /policies\.test\.jsonl:2: expected general_chat, got data_sql — rule 3: files \*\*\/\*\.sql → data_sql/);
    assert.match(stdout, /1 passed, 1 failed/);
  });

  it('the sample workspace\'s routing examples pass with the default policy it is given at start', () => {
    const { code, stdout } = omni(['test', 'policies/default.json', '--examples', 'sample-workspace/.omni/policies.test.jsonl']);
    assert.equal(code, 0, stdout);
    assert.match(stdout, /^7 passed, 0 failed$/m);
  });

  it('test reports a route the policy does not have, and a broken line, at their lines instead of running', () => {
    const lines = '{"prompt": "explain", "command": "explain", "route": "code_explanaton"}\n{"prompt": "x"\n';
    const { code, stdout, stderr } = omni(['test'], workspace(localPolicy, lines));
    assert.equal(code, 1);
    assert.match(stderr, /policies\.test\.jsonl:1: no route "code_explanaton" in the policy\. Did you mean "code_explanation"\?/);
    assert.match(stderr, /policies\.test\.jsonl:2: not valid JSON/);
    assert.doesNotMatch(stdout, /passed/);
  });

  it('an unknown command prints the usage and exits 2', () => {
    const { code, stderr } = omni(['frobnicate']);
    assert.equal(code, 2);
    assert.match(stderr, /unknown command "frobnicate"/);
  });
});

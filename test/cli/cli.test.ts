import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, openSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { parsePolicy } from '../../src/core/policy/parse';
import { templateText } from '../../src/core/policy/templates';
import { closedLoopbackPort, startFakeProvider, type FakeProvider } from '../fake-provider/server';
import { scratchDir } from '../support/scratch';

const main = resolve('src/cli/main.ts');
// The CLI runs in temporary folders, where the bare name "tsx" would not resolve.
const tsx = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;

const env = { ...process.env, OMNI_PROVIDERS: '', HF_TOKEN: '' };

/** Runs the real CLI entry in a child process, as a user would (through tsx, so no build is needed). */
function omni(args: string[], cwd = process.cwd(), moreEnv: NodeJS.ProcessEnv = {}, input?: string | Uint8Array) {
  const result = spawnSync(process.execPath, ['--import', tsx, main, ...args], { cwd, encoding: 'utf8', env: { ...env, ...moreEnv }, input });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The CLI started without blocking this process, which may serve it (the fake provider runs in here). */
function startOmni(args: string[], cwd: string, stdio: 'pipe' | number = 'pipe', moreEnv: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, ['--import', tsx, main, ...args], { cwd, env: { ...env, ...moreEnv }, stdio: ['ignore', stdio, stdio] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr?.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done };
}

function workspace(policyText: string, tests?: string): string {
  const root = scratchDir('omni-cli-');
  mkdirSync(join(root, '.omni'));
  writeFileSync(join(root, '.omni', 'policies.json'), policyText);
  if (tests !== undefined) writeFileSync(join(root, '.omni', 'policies.test.jsonl'), tests);
  return root;
}

const localPolicy = templateText('openai');

/** `text` as a regular expression that matches it literally. */
function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Whether util-linux's `script` is here to run the CLI on a terminal (a pseudo-terminal) of its own. */
const hasScript = spawnSync('script', ['--version']).status === 0;

describe('omni CLI', () => {
  it('check prints file:line:col per error and exits 1', () => {
    const root = workspace(localPolicy.replace('"model": "coder"', '"model": "codr"'));
    const { code, stdout } = omni(['check'], root);
    assert.equal(code, 1);
    assert.match(stdout, /policies\.json:\d+:\d+: error: no model "codr" in "models"\. Did you mean "coder"\?/);
  });

  it('check warns about a provider the providers file does not define, and not about one it does', () => {
    const root = workspace(localPolicy.replace('"provider": "openai"', '"provider": "mygateway"'));
    const missing = omni(['check'], root);
    assert.equal(missing.code, 0, missing.stdout);
    assert.match(missing.stdout, /policies\.json:\d+:\d+: warning: no provider "mygateway" here: define it in a providers file \(--providers or \$OMNI_PROVIDERS\)/);
    writeFileSync(join(root, 'providers.json'), JSON.stringify({ providers: { mygateway: { type: 'openai-compatible', baseURL: 'http://127.0.0.1:9/v1' } } }));
    const defined = omni(['check', '--providers', 'providers.json'], root);
    assert.equal(defined.code, 0, defined.stdout);
    assert.doesNotMatch(defined.stdout, /warning/);
  });

  it('a providers file that $OMNI_PROVIDERS names and that cannot be read says where its name came from', () => {
    const root = workspace(localPolicy);
    const fromEnvironment = omni(['check'], root, { OMNI_PROVIDERS: 'moved.json' });
    assert.equal(fromEnvironment.code, 1, 'a problem of the input, as a missing policy is');
    assert.match(fromEnvironment.stderr, /^omni: moved\.json: cannot read the providers file: file not found \(ENOENT\); \$OMNI_PROVIDERS names this file: fix it, or unset the variable/);
    assert.doesNotMatch(omni(['check', '--providers', 'moved.json'], root).stderr, /OMNI_PROVIDERS/);
  });

  it('a syntax error in the $OMNI_PROVIDERS file is told at file:line:col in words, as check tells a policy\'s', () => {
    const root = workspace(localPolicy);
    writeFileSync(join(root, 'providers.json'), '{\n  "providers": {\n    "box" { "type": "openai-compatible" }\n  }\n}\n');
    const { stderr } = omni(['check'], root, { OMNI_PROVIDERS: 'providers.json' });
    assert.equal(
      stderr.split('\n')[0],
      `omni: providers.json:3:11: JSON syntax error: colon expected; check the punctuation just before this point; $OMNI_PROVIDERS names this file: fix it, or unset the variable to use only the built-in providers`,
    );
    // Under a list of problems the note gets a line of its own, or it would read as part of the last one.
    writeFileSync(join(root, 'providers.json'), '{"providers": {"box": {"type": "openai-compatible"}}}');
    const invalid = omni(['check'], root, { OMNI_PROVIDERS: 'providers.json' });
    assert.deepEqual(invalid.stderr.trimEnd().split('\n'), [
      'omni: providers.json: invalid providers config',
      '  providers.json:1:23: providers.box.baseURL is required, e.g. "http://127.0.0.1:8000/v1"',
      '$OMNI_PROVIDERS names this file: fix it, or unset the variable to use only the built-in providers',
    ]);
  });

  it('init writes .omni/policies.json from a template that check accepts, and never overwrites it', () => {
    const root = scratchDir('omni-init-');
    const made = omni(['init', '--template', 'ollama'], root);
    assert.equal(made.code, 0, made.stderr);
    assert.match(made.stdout, /^wrote \.omni\/policies\.json \(Local models with Ollama\)\nnext: /);
    assert.equal(readFileSync(join(root, '.omni', 'policies.json'), 'utf8'), templateText('ollama'));
    assert.match(omni(['check'], root).stdout, /OK — 10 routes, 3 models/);
    const again = omni(['init'], root);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /\.omni\/policies\.json already exists/);
    assert.equal(readFileSync(join(root, '.omni', 'policies.json'), 'utf8'), templateText('ollama'), 'untouched');
    assert.equal(omni(['init', '--template', 'nope'], root).code, 2);
  });

  it('init says what is in the way of .omni/policies.json and what to do, instead of a bare EEXIST, and exits 1', () => {
    const root = scratchDir('omni-init-');
    writeFileSync(join(root, '.omni'), 'notes');
    const file = omni(['init'], root);
    assert.equal(file.code, 1);
    assert.equal(file.stderr, 'omni: .omni is a file, where init would write the policy file .omni/policies.json; move or remove it, then run "omni init" again\n');
    assert.equal(readFileSync(join(root, '.omni'), 'utf8'), 'notes', 'untouched');

    const other = scratchDir('omni-init-');
    mkdirSync(join(other, '.omni', 'policies.json'), { recursive: true });
    const folder = omni(['init'], other);
    assert.equal(folder.code, 1);
    assert.match(folder.stderr, /^omni: \.omni\/policies\.json is a folder, where init would write the policy file/);
  });

  it('init fills an empty policy file, which check says to do, instead of refusing it as existing', () => {
    const root = workspace(' \n');
    assert.match(omni(['check'], root).stdout, /the file is empty: .*"omni init" in its folder to fill it from a template/);
    const made = omni(['init'], root);
    assert.equal(made.code, 0, made.stderr);
    assert.equal(readFileSync(join(root, '.omni', 'policies.json'), 'utf8'), templateText('default'));
  });

  it('ask outside any workspace says the built-in policy routes, and how to make one', () => {
    const root = scratchDir('omni-nopolicy-');
    // No HF_TOKEN here: the answer fails before any request leaves the machine.
    const { stderr } = omni(['ask', 'write a CSV parser'], root);
    assert.match(stderr, /^omni: no \.omni\/policies\.json here or above, so the built-in policy routes \(Hugging Face models\); "omni init" creates one$/m);
  });

  it('check and test outside any project name the folder searched from and how to fix it; test exits 1, check says what it checked', () => {
    const root = scratchDir('omni-nopolicy-');
    const searched = /^omni: no \.omni\/policies\.json in (.+) or any folder above it; run "omni init" there to create one, or name the policy file/;
    const test = omni(['test'], root);
    assert.equal(test.code, 1);
    assert.equal(searched.exec(test.stderr)?.[1], root);
    assert.doesNotMatch(test.stdout, /passed/);
    // check falls back to the built-in policy like every command, but never silently.
    const check = omni(['check'], root);
    assert.equal(searched.exec(check.stderr)?.[1], root);
    assert.match(check.stderr, /Checking the built-in default policy instead\.$/m);
    assert.match(check.stdout, /^<built-in default policy>: OK/);
    assert.equal(check.code, 0);
    assert.equal(omni(['route', 'hello'], root).code, 0, 'route and ask keep routing with the built-in policy');
    // eval may measure the built-in policy, but says so: its accuracy would pass for the project's policy's.
    writeFileSync(join(root, 'data.jsonl'), '{"prompt": "write a SQL query", "route_fine": "data_sql"}\n');
    const evaluated = omni(['eval', 'data.jsonl', '--label', 'route_fine', '--json'], root);
    assert.equal(evaluated.code, 0, evaluated.stderr);
    assert.equal(searched.exec(evaluated.stderr)?.[1], root);
    assert.match(evaluated.stderr, /Evaluating the built-in default policy instead\.$/m);
    assert.equal(JSON.parse(evaluated.stdout.trim().split('\n').at(-1)!).n, 1, 'the last line of stdout is still the JSON report');
  });

  it('check, test, eval and init refuse arguments past the ones they take, naming the command and them all', () => {
    const root = workspace(localPolicy);
    writeFileSync(join(root, 'good.json'), localPolicy);
    writeFileSync(join(root, 'd1.jsonl'), '{"prompt": "x", "route_fine": "general_chat"}\n');
    const cases: Array<[string[], string]> = [
      [['check', 'good.json', 'bad.json'], 'omni check takes one policy file, got 2: good.json, bad.json'],
      [['test', 'good.json', 'other.json'], 'omni test takes one policy file, got 2: good.json, other.json'],
      [['eval', 'd1.jsonl', 'nothere.jsonl', '--label', 'route_fine'], 'omni eval takes one DATA.jsonl file, got 2: d1.jsonl, nothere.jsonl'],
      [['init', 'x'], 'omni init takes no arguments, got 1: x'],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = omni(args, root);
      assert.equal(code, 2, args.join(' '));
      assert.equal(stderr.split('\n')[0], `omni: ${message}`);
      assert.match(stderr, new RegExp(`usage: omni ${args[0]} `), 'with the usage');
    }
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

  it('route drops terminal control characters from a policy\'s text on a terminal, and keeps them in redirected output', { skip: !hasScript && 'needs util-linux "script" for a terminal' }, () => {
    // OSC 52 sets the clipboard; a carriage return lets the text after it overwrite the line.
    const root = workspace(localPolicy.replace('"model": "gpt-5-mini"', '"model": "gpt-5-mini\\u001b]52;c;ZXZpbA==\\u0007\\r"'));
    const command = [process.execPath, '--import', tsx, main, 'route', 'hello there'].map((word) => `'${word}'`).join(' ');
    const terminal = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: root, encoding: 'utf8', env });
    assert.equal(terminal.status, 0, terminal.stdout);
    assert.match(terminal.stdout, /\(gpt-5-mini\]52;c;ZXZpbA== via openai\)\r\n/);
    assert.doesNotMatch(terminal.stdout, /[\u001b\u0007]/);
    assert.match(omni(['route', 'hello there'], root).stdout, /\(gpt-5-mini\u001b\]52;c;ZXZpbA==\u0007\r via openai\)\n/);
  });

  it('route matches file globs on --file given as an absolute path inside the workspace, or spelt with ./ or backslashes', () => {
    const root = workspace(localPolicy);
    for (const file of [join(root, 'db', 'q.sql'), './db/q.sql', 'db\\q.sql']) {
      const { code, stdout, stderr } = omni(['route', 'anything', '--file', file, '--json'], root);
      assert.equal(code, 0, stderr);
      assert.equal(JSON.parse(stdout).stage, 'rule', file);
    }
  });

  it('route takes a relative --file from the current folder, as any command-line path, inside the workspace', () => {
    const root = workspace(localPolicy);
    mkdirSync(join(root, 'db', 'deep'), { recursive: true });
    for (const [cwd, file] of [[join(root, 'db'), 'q.sql'], [join(root, 'db', 'deep'), '../q.sql'], [root, 'db/q.sql']]) {
      const { code, stdout, stderr } = omni(['route', 'anything', '--file', file, '--json'], cwd);
      assert.equal(code, 0, stderr);
      assert.equal(JSON.parse(stdout).stage, 'rule', `${file} from ${cwd}`);
    }
  });

  it('route reads the selection from a file', () => {
    const root = workspace(localPolicy);
    writeFileSync(join(root, 'sel.txt'), 'Traceback (most recent call last):\n  File "a.py", line 3\nKeyError: 1');
    const { stdout } = omni(['route', 'what is going on here', '--selection-file', 'sel.txt', '--lang', 'python', '--json'], root);
    assert.equal(JSON.parse(stdout).stage, 'local');
  });

  it('keeps a local-only file from a remote Arch-Router however the CLI is told about it', () => {
    const policy = JSON.parse(localPolicy);
    policy.privacy = { localOnly: ['secrets/**'] };
    policy.router = { mode: 'arch', timeoutMs: 1000, archRouter: { provider: 'huggingface', model: 'katanemo/Arch-Router-1.5B' } };
    const root = workspace(JSON.stringify(policy));
    mkdirSync(join(root, 'secrets'));
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'secrets', 'notes.txt'), 'TOP SECRET');
    symlinkSync(join(root, 'secrets', 'notes.txt'), join(root, 'src', 'link.txt'));
    const linkedRoot = join(scratchDir('omni-cli-link-'), 'workspace');
    symlinkSync(root, linkedRoot);
    writeFileSync(join(root, 'team-policy.json'), JSON.stringify(policy));
    writeFileSync(join(root, 'history.json'), JSON.stringify([
      { role: 'user', content: 'what is this?', fileName: 'secrets/notes.txt' },
      { role: 'assistant', content: 'Notes.' },
    ]));
    writeFileSync(join(root, 'quoted.json'), JSON.stringify([
      { role: 'user', content: 'what is this?\n\nSelected code from secrets/notes.txt:\n```\nTOP SECRET\n```' },
    ]));
    const outside = dirname(root);
    const cases: [string, string[], RegExp][] = [
      ['a workspace reached through a symbolic link', ['--file', join(linkedRoot, 'secrets', 'notes.txt')], /^secrets\/notes\.txt may only/],
      ['a link to the private file', ['--file', 'src/link.txt'], /^secrets\/notes\.txt \(src\/link\.txt links to it\) may only/],
      ['the selection read from it', ['--selection-file', 'secrets/notes.txt'], /^secrets\/notes\.txt \(the --selection-file\) may only/],
      ['a policy kept outside .omni', ['--policy', 'team-policy.json', '--file', join(root, 'secrets', 'notes.txt')], /^secrets\/notes\.txt may only/],
      ['an earlier turn asked from it', ['--history-file', 'history.json'], /^secrets\/notes\.txt \(from earlier in this conversation\) may only/],
      ['an earlier turn quoting it', ['--history-file', 'quoted.json'], /^secrets\/notes\.txt \(from earlier in this conversation\) may only/],
    ];
    for (const [what, args, reason] of cases) {
      const { code, stdout, stderr } = omni(['route', 'summarize it', '--json', ...args], root);
      assert.equal(code, 0, stderr);
      const decision = JSON.parse(stdout);
      assert.match(decision.reason, new RegExp(`^Arch-Router not asked: ${reason.source.slice(1)}`), what);
      // The template's models are all at api.openai.com: `ask` would pass over each, and route says so.
      assert.deepEqual(decision.privacySkipped.map((skip: { model: string }) => skip.model), [decision.model, ...decision.fallbacks], what);
    }
    const fromOutside = omni(['route', 'summarize it', '--json', '--policy', join(root, '.omni', 'policies.json'), '--file', join(basename(root), 'secrets', 'notes.txt')], outside);
    assert.match(JSON.parse(fromOutside.stdout).reason, /^Arch-Router not asked: secrets\/notes\.txt may only/, 'a relative path from outside the workspace');
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
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--history-file: bad\.json must be a JSON array .*0\.role: .*0\.content: /);
  });

  it('route and ask read the prompt from stdin for "-", also one too long to be an argument, instead of taking "-" as the prompt', () => {
    const root = workspace(localPolicy);
    const scores = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1)!).scores;
    const prompt = 'explain what this regular expression matches';
    const piped = omni(['route', '-', '--json'], root, {}, `${prompt}\n`);
    assert.equal(piped.code, 0, piped.stderr);
    assert.deepEqual(scores(piped.stdout), scores(omni(['route', prompt, '--json'], root).stdout));
    // Linux refuses a single argument over 128 KiB (E2BIG), so a long prompt can only come this way.
    const long = omni(['route', '-', '--json'], root, {}, `${prompt} ${'a'.repeat(200_000)}`);
    assert.equal(long.code, 0, long.stderr);
    const empty = omni(['ask', '-'], root, {}, '\n');
    assert.equal(empty.code, 1, 'a problem of the input, not of the command line');
    assert.match(empty.stderr, /^omni: the prompt on stdin \(-\) is empty; pipe the text in/);
    const latin1 = omni(['route', '-'], root, {}, Buffer.from('caf\xe9', 'latin1'));
    assert.equal(latin1.code, 1);
    assert.match(latin1.stderr, /^omni: the prompt on stdin \(-\) is not UTF-8 text \(at 1:4\)/);
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
    assert.match(stderr, /data\.jsonl:2:2: not valid JSON: oops is no JSON value; names and text take double quotes/);
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

  it('test reports a route the policy does not have, and broken lines, at their place, and still runs the other examples', () => {
    const lines = [
      '{"prompt": "explain", "command": "explain", "route": "code_explanaton"}',
      '{"prompt": "x"',
      '{"prompt": "explain", "command": "explain", "route": "code_explanation"}',
      '{"prompt": "x", "fileName": "q.sql", "route": "general_chat"}',
    ].join('\n');
    const { code, stdout, stderr } = omni(['test'], workspace(localPolicy, lines));
    assert.equal(code, 1);
    assert.match(stderr, /policies\.test\.jsonl:1: no route "code_explanaton" in the policy\. Did you mean "code_explanation"\?/);
    assert.match(stderr, /policies\.test\.jsonl:2:15: the line ends inside the object \(close brace expected\)/);
    assert.match(stdout, /policies\.test\.jsonl:4: expected general_chat, got data_sql/);
    assert.match(stdout, /^1 passed, 1 failed, 2 could not run$/m);
  });

  it('test exits 1 when examples pass but a line could not run', () => {
    const lines = '{"prompt": "explain", "command": "explain", "route": "code_explanation"}\n{"prompt": "x", "route": "general_chat",}\n';
    const { code, stdout } = omni(['test'], workspace(localPolicy, lines));
    assert.equal(code, 1);
    assert.match(stdout, /^1 passed, 0 failed, 1 could not run$/m);
  });

  it('rejects an empty value for any flag, naming it, instead of falling back to a default', () => {
    const root = workspace(localPolicy);
    const cases: Array<[string[], string]> = [
      [['route', 'x', '--policy', ''], '--policy'],
      [['ask', 'x', '--model', ''], '--model'],
      [['eval', 'd.jsonl', '--label', ' '], '--label'],
      [['test', '--examples='], '--examples'],
    ];
    for (const [args, flag] of cases) {
      const { code, stderr } = omni(args, root);
      assert.equal(code, 2, args.join(' '));
      assert.match(stderr, new RegExp(`^omni: ${flag} needs a value`), args.join(' '));
    }
    const check = omni(['check', ''], root);
    assert.equal(check.code, 2);
    assert.match(check.stderr, /an argument is empty/);
  });

  it('check counts in the singular when there is one of a kind', () => {
    const policy = JSON.stringify({
      version: 1,
      models: { m: { provider: 'ollama', model: 'llama3' } },
      routes: [{ name: 'r', description: 'anything', model: 'm' }],
      rules: [{ when: { command: 'explain' }, route: 'r' }],
      defaultRoute: 'r',
      router: { mode: 'local' },
    });
    const { code, stdout } = omni(['check'], workspace(policy));
    assert.equal(code, 0, stdout);
    assert.match(stdout, /OK — 1 route, 1 model, 1 rule, router mode local$/m);
  });

  it('--mode arch without router.archRouter is a usage error naming the policy; --mode auto says it decides locally', () => {
    const policy = localPolicy.replace(/"mode": "\w+"/, '"mode": "local"');
    const root = workspace(policy, '{"prompt": "explain", "command": "explain", "route": "code_explanation"}\n');
    writeFileSync(join(root, 'data.jsonl'), '{"prompt": "explain", "command": "explain", "route_fine": "code_explanation"}\n');
    for (const args of [['route', 'x'], ['eval', 'data.jsonl', '--label', 'route_fine'], ['test']]) {
      const arch = omni([...args, '--mode', 'arch'], root);
      assert.equal(arch.code, 2, arch.stderr);
      assert.match(arch.stderr, /--mode arch: .*policies\.json has no "router\.archRouter"/);
      const auto = omni([...args, '--mode', 'auto'], root);
      assert.equal(auto.code, 0, auto.stderr);
      assert.match(auto.stderr, /policies\.json has no "router\.archRouter", so --mode auto decides locally/);
    }
  });

  it('eval and test read data files that start with a byte-order mark, as route reads such a --history-file', () => {
    const root = workspace(localPolicy, '\uFEFF{"prompt": "explain", "command": "explain", "route": "code_explanation"}\n');
    writeFileSync(join(root, 'data.jsonl'), '\uFEFF{"prompt": "explain", "command": "explain", "route_fine": "code_explanation"}\n');
    writeFileSync(join(root, 'history.json'), `\uFEFF${JSON.stringify([{ role: 'user', content: 'hi' }])}`);
    assert.equal(omni(['test'], root).code, 0);
    const evaluated = omni(['eval', 'data.jsonl', '--label', 'route_fine'], root);
    assert.equal(evaluated.code, 0, evaluated.stderr);
    const routed = omni(['route', 'x', '--history-file', 'history.json'], root);
    assert.equal(routed.code, 0, routed.stderr);
  });

  it('check places a first-line problem of a policy saved with a byte-order mark where the editor shows it', () => {
    const root = workspace('\uFEFF{"version": 2, "models": {}, "routes": [], "defaultRoute": "x"}');
    const { code, stdout } = omni(['check'], root);
    assert.equal(code, 1);
    // Column 13 is the 2, counted as VS Code counts it: the mark is no character there.
    assert.match(stdout, /policies\.json:1:13: error: must be 1 \(at version\)/);
  });

  it('test reports a misspelt field with a did-you-mean instead of ignoring it', () => {
    const lines = '{"prompt": "what is the capital of France?", "filename": "q.sql", "route": "general_chat"}\n';
    const { code, stdout, stderr } = omni(['test'], workspace(localPolicy, lines));
    assert.equal(code, 1);
    assert.match(stderr, /policies\.test\.jsonl:1: unknown field "filename" — did you mean "fileName"\?/);
    assert.match(stdout, /^0 passed, 0 failed, 1 could not run$/m);
  });

  it('eval accepts extra label fields but reports a near miss of a known one', () => {
    const root = workspace(localPolicy);
    const line = { id: 'a1', prompt: 'x', source: 'so', route_coarse: 'general', route_fine: 'data_sql' };
    writeFileSync(join(root, 'ok.jsonl'), JSON.stringify({ ...line, fileName: 'q.sql' }));
    assert.equal(omni(['eval', 'ok.jsonl', '--label', 'route_fine'], root).code, 0);
    writeFileSync(join(root, 'typo.jsonl'), JSON.stringify({ ...line, langaugeId: 'sql' }));
    const { code, stderr } = omni(['eval', 'typo.jsonl', '--label', 'route_fine'], root);
    assert.equal(code, 1);
    assert.match(stderr, /typo\.jsonl:1: unknown field "langaugeId" — did you mean "languageId"\?/);
  });

  it('eval on an empty file fails naming it', () => {
    const root = workspace(localPolicy);
    writeFileSync(join(root, 'empty.jsonl'), '\n');
    const { code, stdout, stderr } = omni(['eval', 'empty.jsonl', '--label', 'route_fine'], root);
    assert.equal(code, 1);
    assert.match(stderr, /^empty\.jsonl: no examples/m);
    assert.doesNotMatch(stdout, /accuracy/);
  });

  it('eval with a label field no line has says so once, with the field the lines do have', () => {
    const root = workspace(localPolicy);
    writeFileSync(join(root, 'data.jsonl'), Array.from({ length: 5 }, () => JSON.stringify({ prompt: 'x', route_fine: 'general_chat' })).join('\n'));
    const { code, stderr } = omni(['eval', 'data.jsonl', '--label', 'route_fin'], root);
    assert.equal(code, 1);
    assert.equal(stderr.trim().split('\n').length, 1, stderr);
    assert.match(stderr, /data\.jsonl:1: no line has the label field "route_fin" \(5 lines\); the closest field they have is "route_fine"/);
  });

  it('eval names a label the policy lacks at its line with a did-you-mean, and a wrong --label once for the file', () => {
    const root = workspace(localPolicy);
    const line = (route: string) => JSON.stringify({ prompt: 'x', route_fine: route });
    writeFileSync(join(root, 'some.jsonl'), [line('general_chat'), line('code_generaton'), line('general_chat')].join('\n'));
    const some = omni(['eval', 'some.jsonl', '--label', 'route_fine'], root);
    assert.equal(some.code, 1);
    assert.equal(some.stderr.trim(), 'some.jsonl:2: no route "code_generaton" in the policy. Did you mean "code_generation"?');
    writeFileSync(join(root, 'all.jsonl'), Array.from({ length: 30 }, () => JSON.stringify({ prompt: 'x', route_fine: 'coding' })).join('\n'));
    const all = omni(['eval', 'all.jsonl', '--label', 'route_fine'], root);
    assert.equal(all.code, 1);
    assert.equal(all.stderr.trim(), 'all.jsonl:1: no "route_fine" value is a route of the policy (coding…): is --label or --policy right?');
  });

  it('test on the wrong examples file prints the first 20 problems and how many more', () => {
    const root = workspace(localPolicy, Array.from({ length: 30 }, () => JSON.stringify({ prompt: 'x', route_fine: 'general_chat' })).join('\n'));
    const { code, stderr } = omni(['test'], root);
    assert.equal(code, 1);
    const lines = stderr.trim().split('\n');
    assert.equal(lines.length, 21, stderr);
    assert.match(lines.at(-1)!, /policies\.test\.jsonl: … and \d+ more problems$/);
  });

  it('eval and test say when Arch-Router failed instead of passing its failures off as local decisions', async () => {
    const policy = JSON.parse(localPolicy);
    policy.router = { mode: 'arch', timeoutMs: 500, archRouter: { provider: 'gone', model: 'katanemo/Arch-Router-1.5B' } };
    const root = workspace(JSON.stringify(policy), `${JSON.stringify({ prompt: 'write a function', route: 'code_generation' })}\n`);
    writeFileSync(join(root, 'providers.json'), JSON.stringify({ providers: { gone: { type: 'openai-compatible', baseURL: `http://127.0.0.1:${await closedLoopbackPort()}/v1` } } }));
    writeFileSync(join(root, 'data.jsonl'), [JSON.stringify({ prompt: 'write a function', route_fine: 'code_generation' }), JSON.stringify({ prompt: 'why', route_fine: 'general_chat' })].join('\n'));
    const evaluated = omni(['eval', 'data.jsonl', '--label', 'route_fine', '--providers', 'providers.json', '--json'], root);
    assert.equal(evaluated.code, 0, evaluated.stderr);
    assert.match(evaluated.stderr, /^Arch-Router failed on 2 of the 2 requests it was asked about, so the local classifier decided them \(first error: .*refused the connection/m);
    assert.deepEqual(JSON.parse(evaluated.stdout.trim().split('\n').at(-1)!).archRouter.failed, 2);
    const tested = omni(['test', '--mode', 'arch', '--providers', 'providers.json'], root);
    assert.match(tested.stderr, /^Arch-Router failed on 1 of the 1 requests/m);
  });

  it('eval widens confusion headers that would read the same when cut', () => {
    const policy = JSON.parse(localPolicy);
    policy.routes.push({ name: 'database_queries', description: 'sql queries', model: 'coder' }, { name: 'database_admin', description: 'backups and users', model: 'coder' });
    const root = workspace(JSON.stringify(policy));
    writeFileSync(join(root, 'data.jsonl'), ['database_admin', 'database_queries'].map((route) => JSON.stringify({ prompt: 'x', route_fine: route })).join('\n'));
    const { code, stdout, stderr } = omni(['eval', 'data.jsonl', '--label', 'route_fine'], root);
    assert.equal(code, 0, stderr);
    const lines = stdout.split('\n');
    const header = lines[lines.findIndex((text) => text.startsWith('confusion')) + 1];
    assert.match(header, /database_a +database_q/);
  });

  it('a policy, examples or providers file that is not UTF-8 is an error at its first bad byte saying to save it as UTF-8, exit 1', () => {
    const root = workspace('');
    const policy = localPolicy.replace('"description": "', '"description": "café ');
    const line = policy.split('\n').findIndex((text) => text.includes('café'));
    const column = policy.split('\n')[line].indexOf('é') + 1;
    writeFileSync(join(root, '.omni', 'policies.json'), Buffer.from(policy, 'latin1'));
    const checked = omni(['check'], root);
    assert.equal(checked.code, 1);
    assert.match(checked.stdout, new RegExp(`policies\\.json:${line + 1}:${column}: error: byte 0xE9 is not UTF-8: the file must be saved as UTF-8`));

    writeFileSync(join(root, '.omni', 'policies.json'), localPolicy);
    writeFileSync(join(root, '.omni', 'policies.test.jsonl'), Buffer.from('{"prompt": "x", "route": "general_chat"}\n{"prompt": "déjà", "route": "general_chat"}\n', 'latin1'));
    const tested = omni(['test'], root);
    assert.equal(tested.code, 1);
    assert.match(tested.stderr, /policies\.test\.jsonl:2:14: byte 0xE9 is not UTF-8/);

    writeFileSync(join(root, 'providers.json'), Buffer.from('{"providers": {"box": {"type": "openai-compatible", "baseURL": "http://127.0.0.1:9/v1"}}}', 'utf16le'));
    const providers = omni(['check', '--providers', 'providers.json'], root);
    assert.equal(providers.code, 1);
    assert.match(providers.stderr, /providers\.json:1:2: a NUL character: the file looks like UTF-16 without a byte-order mark/);
  });

  it('a policy that cannot be read is reported once, without telling the user to fix errors in it', () => {
    const root = workspace(localPolicy);
    for (const target of ['missing.json', '.omni']) {
      const { code, stderr } = omni(['test', target], root);
      assert.equal(code, 1);
      assert.match(stderr, /cannot read the policy/);
      assert.doesNotMatch(stderr, /has errors; fix them/, target);
    }
  });

  it('a policy that is a folder or may not be read names the file and the cause in words, not Node\'s message', () => {
    const folder = scratchDir('omni-cli-');
    mkdirSync(join(folder, '.omni', 'policies.json'), { recursive: true });
    const isFolder = omni(['check'], folder);
    assert.equal(isFolder.code, 1);
    assert.match(isFolder.stdout, /policies\.json:1:1: error: cannot read the policy: it is a folder, not a file \(EISDIR\)/);
    assert.doesNotMatch(isFolder.stdout, /illegal operation/);

    const root = workspace(localPolicy);
    chmodSync(root, 0o755);
    chmodSync(join(root, '.omni', 'policies.json'), 0o000);
    // Root reads any file, so the CLI runs as another user there; elsewhere the mode alone refuses the read.
    const asOther = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const result = spawnSync(process.execPath, ['--import', tsx, main, 'check'], { cwd: root, encoding: 'utf8', env, ...asOther });
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /policies\.json:1:1: error: cannot read the policy: permission denied; check the permissions of the file and of the folders above it \(EACCES\)/);
  });

  it('a file that is missing or a folder exits 1 whichever command reads it, as check does for a policy; the command line\'s own mistakes exit 2', () => {
    const root = workspace(localPolicy);
    mkdirSync(join(root, 'folder'));
    writeFileSync(join(root, 'd.jsonl'), '{"prompt": "x", "route_fine": "general_chat"}\n');
    const inputs: string[][] = [
      ['check', 'missing.json'],
      ['test', '--examples', 'missing.jsonl'],
      ['test', '--examples', 'folder'],
      ['eval', 'missing.jsonl', '--label', 'route_fine'],
      ['eval', 'folder', '--label', 'route_fine'],
      ['route', 'x', '--selection-file', 'missing.py'],
      ['route', 'x', '--history-file', 'folder'],
      ['route', 'x', '--policy', 'missing.json'],
      ['check', '--providers', 'missing.json'],
    ];
    for (const args of inputs) {
      const { code, stdout, stderr } = omni(args, root);
      assert.equal(code, 1, `${args.join(' ')}: ${stdout}${stderr}`);
      assert.match(stdout + stderr, /missing|folder/, args.join(' '));
    }
    // The hint to create the examples file is for a missing one, not for a folder in its place.
    assert.doesNotMatch(omni(['test', '--examples', 'folder'], root).stderr, /create it/);
    const commandLine: string[][] = [[], ['check', '--strict'], ['eval', 'd.jsonl'], ['test', '--mode', 'fast'], ['route']];
    for (const args of commandLine) assert.equal(omni(args, root).code, 2, args.join(' '));
    const bare = omni([], root);
    assert.equal(bare.stdout, '', 'the usage of a command line that lacks the command goes to stderr');
    assert.match(bare.stderr, /^usage: omni <command>[\s\S]*Exit codes: 0 done; 1 /);
  });

  it('--version and -V print the package version', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const { code, stdout } = omni([flag]);
      assert.equal(code, 0);
      assert.equal(stdout, `${version}\n`);
    }
  });

  it('check --json ends with one JSON object: the diagnostics and counts, or why the check could not run', () => {
    const root = workspace(localPolicy);
    const good = omni(['check', '--json'], root);
    assert.equal(good.code, 0);
    const summary = JSON.parse(good.stdout.trimEnd().split('\n').at(-1)!);
    const parsed = parsePolicy(localPolicy, 'template');
    assert.ok(parsed.ok);
    const { routes, models, rules, router } = parsed.policy;
    assert.deepEqual(summary, {
      source: join(root, '.omni', 'policies.json'),
      ok: true,
      errors: 0,
      warnings: 0,
      diagnostics: [],
      routes: routes.length,
      models: Object.keys(models).length,
      rules: rules.length,
      mode: router.mode,
    });

    writeFileSync(join(root, '.omni', 'policies.json'), localPolicy.replace('"model": "coder"', '"model": "codr"').replace('"provider": "openai"', '"provider": "mygateway"'));
    const bad = omni(['check', '--json'], root);
    assert.equal(bad.code, 1);
    const problems = JSON.parse(bad.stdout.trimEnd().split('\n').at(-1)!);
    assert.equal(problems.ok, false);
    assert.deepEqual([problems.errors, problems.warnings], [1, 1]);
    const error = problems.diagnostics.find((d: { severity: string }) => d.severity === 'error');
    assert.deepEqual(Object.keys(error).sort(), ['column', 'file', 'line', 'message', 'path', 'severity']);
    assert.match(bad.stdout, new RegExp(`:${error.line}:${error.column}: error: no model "codr"`), 'the same problem as the text line says');

    const noProviders = omni(['check', '--json', '--providers', 'missing.json'], root);
    assert.equal(noProviders.code, 1);
    assert.deepEqual(JSON.parse(noProviders.stdout), { ok: false, exitCode: 1, error: 'missing.json: cannot read the providers file: file not found (ENOENT)' });
  });

  it('with --json, a run that fails before its result still ends with one JSON line saying why', () => {
    const root = workspace(localPolicy.replace('"model": "coder"', '"model": "codr"'));
    const lastLine = (stdout: string) => JSON.parse(stdout.trimEnd().split('\n').at(-1)!);
    const broken = omni(['route', 'write a CSV parser', '--json'], root);
    assert.equal(broken.code, 1);
    const failure = lastLine(broken.stdout);
    assert.deepEqual({ ok: failure.ok, exitCode: failure.exitCode }, { ok: false, exitCode: 1 });
    assert.match(failure.error, /policies\.json:\d+:\d+: error: no model "codr"/);
    assert.equal(failure.error, broken.stderr.trimEnd().replace(/^omni: /gm, ''), 'what stderr said');

    const good = workspace(localPolicy);
    const missingData = omni(['eval', 'nothere.jsonl', '--label', 'route_fine', '--json'], good);
    assert.deepEqual(lastLine(missingData.stdout), { ok: false, exitCode: 1, error: 'cannot read nothere.jsonl: file not found (ENOENT)' });
    const usage = omni(['route', '--json', '--mode', 'sideways', 'x'], good);
    assert.equal(usage.code, 2);
    assert.equal(lastLine(usage.stdout).exitCode, 2);
    assert.equal(omni(['route', 'write a CSV parser'], root).stdout, '', 'without --json stdout stays empty');
    const prompt = omni(['route', '--', '--json'], good);
    assert.equal(prompt.code, 0);
    assert.doesNotMatch(prompt.stdout, /^\{/, 'a prompt that reads --json after -- is no option');
  });

  it('with --json, Ctrl-C during a command waiting on Arch-Router ends with one JSON line and exit 130', async () => {
    const fake = await startFakeProvider({ behaviours: { hang: { hang: true } } });
    try {
      const policy = JSON.parse(localPolicy);
      policy.router = { mode: 'arch', timeoutMs: 30000, archRouter: { provider: 'fake', model: 'hang' } };
      const root = workspace(JSON.stringify(policy));
      writeFileSync(join(root, 'providers.json'), JSON.stringify({ providers: { fake: { type: 'openai-compatible', baseURL: fake.baseURL } } }));
      writeFileSync(join(root, 'data.jsonl'), `${JSON.stringify({ prompt: 'write a function', route_fine: 'code_generation' })}\n`);
      const { child, done } = startOmni(['eval', 'data.jsonl', '--label', 'route_fine', '--providers', 'providers.json', '--json'], root);
      const asked = setInterval(() => {
        if (fake.chatRequests().length > 0) {
          clearInterval(asked);
          child.kill('SIGINT');
        }
      }, 50);
      const { code, stdout, stderr } = await done;
      clearInterval(asked);
      assert.equal(code, 130, stderr);
      assert.deepEqual(JSON.parse(stdout.trimEnd().split('\n').at(-1)!), { ok: false, exitCode: 130, error: 'cancelled (Ctrl-C)' });
    } finally {
      await fake.close();
    }
  });

  it('omni help prints the usage, and omni help <command> that command\'s options, as --help does', () => {
    const general = omni(['help']);
    assert.equal(general.code, 0, general.stderr);
    assert.equal(general.stdout, omni(['--help']).stdout);
    const evalHelp = omni(['help', 'eval']);
    assert.equal(evalHelp.code, 0, evalHelp.stderr);
    assert.equal(evalHelp.stdout, omni(['eval', '--help']).stdout);
    assert.match(evalHelp.stdout, /--label/);
  });

  it('an unknown command prints the usage and exits 2', () => {
    const { code, stderr } = omni(['frobnicate']);
    assert.equal(code, 2);
    assert.match(stderr, /unknown command "frobnicate"/);
  });
});

describe('omni ask', () => {
  let fake: FakeProvider;
  let root: string;
  const policy = {
    version: 1,
    models: Object.fromEntries(['good', 'drop', 'think', 'slow', 'late', 'small'].map((model) => [model, { provider: 'fake', model }])),
    routes: [{ name: 'general_chat', description: 'anything', model: 'good' }],
    defaultRoute: 'general_chat',
    router: { mode: 'local' },
  };
  /** `omni ask` with `model` answering first and `good`, the default route's model, as its fallback. */
  const ask = (model: string, extra: string[] = []) => ['ask', 'hello', '--model', model, '--providers', 'providers.json', ...extra];

  const contextExceeded = { status: 400, json: { error: { message: "This model's maximum context length is 2048 tokens. However, your messages resulted in 3000 tokens.", code: 'context_length_exceeded' } } };

  before(async () => {
    fake = await startFakeProvider({
      behaviours: {
        good: { text: 'Hello from good model.' },
        drop: { text: 'a b c d e f g', dropAfterChunks: 3 },
        think: { text: 'final answer', reasoning: { text: 'let me think', as: 'think-tags' } },
        slow: { text: Array.from({ length: 40 }, (_, i) => `word${i}`).join(' '), chunkDelayMs: 250 },
        late: { text: 'too late', firstTokenDelayMs: 5000 },
        small: { fail: contextExceeded },
        locked: { fail: { status: 401 } },
        // The built-in policy's Ollama model, with "ollama" pointed here.
        'qwen2.5-coder:7b': { fail: contextExceeded },
      },
    });
    root = workspace(JSON.stringify(policy));
    writeFileSync(join(root, 'providers.json'), JSON.stringify({ providers: { fake: { type: 'openai-compatible', baseURL: fake.baseURL } } }));
    writeFileSync(join(root, 'ollama-here.json'), JSON.stringify({ providers: { ollama: { baseURL: fake.baseURL } } }));
  });
  after(() => fake.close());

  it('writes only the final answer to a redirected stdout after a failover mid-stream, ending with a newline', async () => {
    const { code, stdout, stderr } = await startOmni(ask('drop'), root).done;
    assert.equal(code, 0, stderr);
    assert.equal(stdout, 'Hello from good model.\n');
    assert.match(stderr, /drop failed: .*good answers instead; its partial answer is discarded/);
  });

  it('ends the reasoning on stderr with a line break before the answer, also when both go to one file', async () => {
    const file = join(root, 'both.txt');
    const fd = openSync(file, 'w');
    const { code } = await startOmni(ask('think'), root, fd).done;
    closeSync(fd);
    assert.equal(code, 0);
    assert.match(readFileSync(file, 'utf8'), /\nlet me think\nfinal answer\n— think/);
  });

  it('--first-token-timeout-ms moves on from a silent model sooner than the 20 s default; a bad value is a usage error', async () => {
    const { code, stdout, stderr } = await startOmni(ask('late', ['--first-token-timeout-ms', '1000']), root).done;
    assert.equal(code, 0, stderr);
    assert.equal(stdout, 'Hello from good model.\n');
    assert.match(stderr, /late failed: fake sent no first token for 1000 ms; a model that is still loading may need longer: raise --first-token-timeout-ms; good answers instead/);
    const bad = await startOmni(ask('good', ['--stall-timeout-ms', '5s']), root).done;
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--stall-timeout-ms must be whole milliseconds from 1000 to 600000, got "5s"/);
  });

  it('a conversation too long for a model gives the command line\'s fixes, not the chat\'s New Chat', async () => {
    const { code, stdout, stderr } = await startOmni(ask('small'), root).done;
    assert.equal(code, 0, stderr);
    assert.equal(stdout, 'Hello from good model.\n');
    const policyFile = literal(join(root, '.omni', 'policies.json'));
    assert.match(stderr, new RegExp(`small failed: fake refused the request \\(HTTP 400\\): the conversation is too long for "small" \\(2,048 tokens\\): send less text or fewer turns, or set "contextWindow": 2048 on its entry in ${policyFile} `));
    assert.doesNotMatch(stderr, /New Chat/);
  });

  it('names the policy file in use where it tells to set a "contextWindow", and a file of one\'s own for the built-in policy', async () => {
    const teamPolicy = join(root, 'team', 'omni-policy.json');
    mkdirSync(dirname(teamPolicy), { recursive: true });
    writeFileSync(teamPolicy, JSON.stringify({ ...policy, models: { ...policy.models, good: { provider: 'fake', model: 'good', contextWindow: 100 } } }));
    const turns = Array.from({ length: 20 }, (_, i) => ({ role: i % 2 ? 'assistant' : 'user', content: `turn ${i} `.repeat(10) }));
    writeFileSync(join(root, 'long-history.json'), JSON.stringify(turns));
    const named = await startOmni(ask('small', ['--policy', teamPolicy, '--history-file', 'long-history.json']), root).done;
    assert.equal(named.code, 0, named.stderr);
    const file = literal(teamPolicy);
    assert.match(named.stderr, new RegExp(`small failed: .* or set "contextWindow": 2048 on its entry in ${file} so Omni sends only the latest turns that fit`));
    assert.match(named.stderr, new RegExp(`^\\[Sent the last \\d+ of 21 turns: .*\\(100 tokens, "contextWindow" in ${file}\\)\\]$`, 'm'));
    assert.doesNotMatch(named.stderr, /\.omni\/policies\.json/, 'the policy in use is another file');

    // Outside any workspace the built-in policy, which no one can edit, routes: its "local" model is Ollama's.
    const outside = scratchDir('omni-nopolicy-');
    const builtIn = await startOmni(['ask', 'hello', '--model', 'local', '--providers', join(root, 'ollama-here.json')], outside).done;
    assert.match(builtIn.stderr, /too long for "qwen2\.5-coder:7b" \(2,048 tokens\): send less text or fewer turns, or set "contextWindow": 2048 on its entry in a policy of your own \(the built-in one cannot be edited: "omni init" creates \.omni\/policies\.json, or name one with --policy\) so Omni/);
  });

  it('a routing prompt too long for Arch-Router still gets an answer, and the reason names the router setting in the policy file in use', async () => {
    const routed = join(root, 'team', 'routed-policy.json');
    mkdirSync(dirname(routed), { recursive: true });
    writeFileSync(routed, JSON.stringify({ ...policy, router: { mode: 'arch', archRouter: { provider: 'fake', model: 'small' } } }));
    const { code, stdout, stderr } = await startOmni(['ask', 'hello', '--policy', routed, '--providers', 'providers.json'], root).done;
    assert.equal(code, 0, stderr);
    assert.equal(stdout, 'Hello from good model.\n');
    const reason = `Arch-Router failed (fake refused the request (HTTP 400): the routing prompt is too long for "small" (2,048 tokens): lower "router.archRouter.tokenBudget" (2048) in ${routed}, which bounds the conversation it is sent, or shorten the routes' descriptions, which it is sent whole); local classifier picked general_chat`;
    assert.match(stderr, new RegExp(`^general_chat → good \\(good via fake\\): ${literal(reason)}`, 'm'));
    assert.doesNotMatch(stderr, /contextWindow/);
  });

  it('a key refused by a provider with no "apiKeyEnv" names the providers file in use, and where its name came from', async () => {
    const lockedPolicy = join(root, 'locked-policy.json');
    writeFileSync(lockedPolicy, JSON.stringify({ ...policy, models: { locked: { provider: 'fake', model: 'locked' } }, routes: [{ name: 'general_chat', description: 'anything', model: 'locked' }] }));
    const named = await startOmni(['ask', 'hello', '--policy', lockedPolicy, '--providers', 'providers.json'], root).done;
    assert.equal(named.code, 1);
    assert.match(named.stderr, /fake rejected the API key: add "apiKeyEnv" to the "fake" entry in your providers file \(providers\.json\) and set that variable/);
    const fromEnvironment = await startOmni(['ask', 'hello', '--policy', lockedPolicy], root, 'pipe', { OMNI_PROVIDERS: join(root, 'providers.json') }).done;
    assert.equal(fromEnvironment.code, 1);
    const file = literal(join(root, 'providers.json'));
    assert.match(fromEnvironment.stderr, new RegExp(`fake rejected the API key: add "apiKeyEnv" to the "fake" entry in your providers file \\(${file}, named by \\$OMNI_PROVIDERS\\) and set that variable`));
  });

  it('Ctrl-C cancels with exit 130, leaving a redirected stdout without the partial answer', async () => {
    const { child, done } = startOmni(ask('slow'), root);
    child.stderr!.once('data', () => setTimeout(() => child.kill('SIGINT'), 600));
    const { code, stdout, stderr } = await done;
    assert.equal(code, 130, stderr);
    assert.match(stderr, /\[cancelled\]/);
    assert.equal(stdout, '');
    await fake.waitForNoOpenRequests(1000, 'slow');
  });

  it('stops the request and exits 0 without "[cancelled]" when the reader of stdout goes away', async () => {
    const { child, done } = startOmni(ask('slow', ['--json']), root);
    child.stdout!.once('data', () => child.stdout!.destroy());
    const { code, stderr } = await done;
    assert.equal(code, 0, stderr);
    assert.doesNotMatch(stderr, /cancelled/);
    assert.doesNotMatch(stderr, /— slow/, 'the request stopped instead of running to the end');
  });

  it('an unknown --model is a usage error (exit 2) before anything is sent, naming the models there are', async () => {
    // With Arch-Router in the policy, the router would send the prompt to it before the choice was looked at.
    const routed = workspace(JSON.stringify({ ...policy, router: { mode: 'arch', archRouter: { provider: 'fake', model: 'good' } } }));
    writeFileSync(join(routed, 'providers.json'), readFileSync(join(root, 'providers.json')));
    const before = fake.requests.length;
    const { code, stdout, stderr } = await startOmni(ask('gpt-9'), routed).done;
    assert.equal(code, 2, stderr);
    assert.equal(stdout, '');
    assert.match(stderr, /^omni: --model "gpt-9" is not a model of .*policies\.json: use one of good, drop, think, slow, late, small$/m);
    assert.equal(fake.requests.length, before, 'nothing sent');
  });

  it('still answers on stdout and exits 0 when the reader of stderr goes away, as `2> >(head -1)` does', async () => {
    const { child, done } = startOmni(ask('drop'), root);
    // Gone after the first note, before the failover note and the footer are written.
    child.stderr!.once('data', () => child.stderr!.destroy());
    const { code, stdout } = await done;
    assert.equal(code, 0);
    assert.equal(stdout, 'Hello from good model.\n');
  });
});

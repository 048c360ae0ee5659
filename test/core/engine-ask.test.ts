// `omni ask` over the engine, run as a child process against the loopback fake provider.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AnswerEvent } from '../../src/core/engine/events';
import { startFakeProvider, type FakeProvider } from '../fake-provider/server';
import { scratchDir } from '../support/scratch';

let fake: FakeProvider;
let dir: string;

before(async () => {
  fake = await startFakeProvider({
    behaviours: {
      coder: { fail: { status: 500 } },
      general: { text: 'Hello from general.', usage: { input: 100, output: 20 } },
      slow: { text: 'a b c d e f g h i j k l', chunkDelayMs: 100 },
    },
  });
  dir = scratchDir('omni-ask-');
  writeFileSync(join(dir, 'providers.json'), JSON.stringify({ providers: { fake: { type: 'openai-compatible', baseURL: fake.baseURL } } }));
  writeFileSync(
    join(dir, 'policy.json'),
    JSON.stringify({
      version: 1,
      models: {
        coder: { provider: 'fake', model: 'coder', price: { input: 2, output: 2 } },
        general: { provider: 'fake', model: 'general', price: { input: 1, output: 1 } },
        slow: { provider: 'fake', model: 'slow' },
      },
      routes: [
        { name: 'code', description: 'writing and explaining code', model: 'coder' },
        { name: 'chat', description: 'everything else', model: 'general' },
      ],
      rules: [{ when: { command: 'explain' }, route: 'code' }],
      defaultRoute: 'chat',
      router: { mode: 'local' },
    }),
  );
  writeFileSync(
    join(dir, 'all-down.json'),
    JSON.stringify({
      version: 1,
      models: { coder: { provider: 'fake', model: 'coder' }, spare: { provider: 'fake', model: 'coder' } },
      routes: [{ name: 'code', description: 'writing and explaining code', model: 'coder', fallbacks: ['spare'] }],
      defaultRoute: 'code',
      router: { mode: 'local' },
    }),
  );
});
after(() => fake.close());

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `ask` in a child process; `onStderr` may act once on the running child (e.g. send Ctrl-C) when the route
 * line is out. It watches stderr because a piped stdout gets the answer only when it is complete.
 */
function ask(args: string[], onStderr?: (child: ReturnType<typeof spawn>) => void, policy = 'policy.json'): Promise<Run> {
  const script = "require('./src/cli/commands/ask.ts').ask.run(process.argv.slice(1)).then((code) => { process.exitCode = code; })";
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '-e', script, '--', ...args, '--policy', join(dir, policy), '--providers', join(dir, 'providers.json')],
    { env: { ...process.env, OMNI_PROVIDERS: '' } },
  );
  const run: Run = { code: null, stdout: '', stderr: '' };
  child.stdout.on('data', (data) => (run.stdout += data));
  child.stderr.on('data', (data) => (run.stderr += data));
  if (onStderr) child.stderr.once('data', () => onStderr(child));
  return new Promise((resolve) => child.on('close', (code) => resolve({ ...run, code })));
}

// Each test spawns its own process; running them side by side keeps the file quick.
describe('omni ask', { concurrency: true }, () => {
  test('prints the route first, the answer on stdout, the fallback note and a footer with tokens, cost and timings', async () => {
    const { code, stdout, stderr } = await ask(['explain this', '--command', 'explain']);
    assert.equal(code, 0, stderr);
    assert.equal(stdout, 'Hello from general.\n');
    const lines = stderr.trim().split('\n').filter(Boolean);
    assert.match(lines[0], /^code → coder \(coder via fake\): rule 1: command explain → code$/);
    assert.match(lines[1], /^\[coder failed: fake failed with HTTP 500: .*; general answers instead\]$/);
    assert.match(lines[2], /^— general · 100 in \/ 20 out tokens · \$0\.000120 · first token \d+ ms · total \d+ ms$/);
  });

  test('--json prints every event as a JSON line, decision first and done last', async () => {
    const { code, stdout } = await ask(['hello', '--model', 'general', '--json']);
    assert.equal(code, 0);
    const events = stdout.trim().split('\n').map((line) => JSON.parse(line) as AnswerEvent);
    assert.equal(events[0].type, 'decision');
    assert.equal(events.at(-1)?.type, 'done');
  });

  test('exits non-zero and lists the attempts when no model answered', async () => {
    const { code, stderr } = await ask(['hello'], undefined, 'all-down.json');
    assert.equal(code, 1);
    assert.match(stderr, /omni: no model could answer:\n {2}coder \(fake\): fake failed with HTTP 500.*\n {2}spare \(fake\): fake failed with HTTP 500/);
  });

  test('Ctrl-C cancels cleanly: exit 130 and no request left open', async () => {
    const { code, stderr } = await ask(['hello', '--model', 'slow'], (child) => child.kill('SIGINT'));
    assert.equal(code, 130);
    assert.match(stderr, /\[cancelled\]/);
    await fake.waitForNoOpenRequests(1000, 'slow');
  });
});

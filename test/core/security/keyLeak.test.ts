import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { answer } from '../../../src/core/engine/answer';
import type { AnswerEvent } from '../../../src/core/engine/events';
import { policySchema } from '../../../src/core/policy/schema';
import { createProviderRegistry } from '../../../src/core/providers/registry';
import { buildRouter } from '../../../src/core/router';
import { startFakeProvider, type FakeProvider } from '../../fake-provider/server';
import { scratchDir } from '../../support/scratch';

const KEY = 'sk-omni-leak-check-7f3a9c';
const OTHER_KEY = 'sk-other-provider-2b8d';

/** Two providers on two loopback servers: each key must reach only its own server, and never any output. */
describe('API keys never leak', () => {
  let primary: FakeProvider;
  let secondary: FakeProvider;
  const providersConfig = () => ({
    providers: {
      primary: { type: 'openai-compatible' as const, baseURL: primary.baseURL, apiKeyEnv: 'PRIMARY_KEY' },
      secondary: { type: 'openai-compatible' as const, baseURL: secondary.baseURL, apiKeyEnv: 'SECONDARY_KEY' },
    },
  });
  const policy = () =>
    policySchema.parse({
      version: 1,
      models: { a: { provider: 'primary', model: 'model-a' }, b: { provider: 'secondary', model: 'model-b' } },
      routes: [{ name: 'any', description: 'anything at all', model: 'a', fallbacks: ['b'] }],
      defaultRoute: 'any',
      router: { mode: 'local' },
    });

  before(async () => {
    primary = await startFakeProvider();
    secondary = await startFakeProvider();
    // Providers that echo the rejected key in their error body, as some do.
    primary.behave('model-a', { fail: { status: 401, message: `Incorrect API key provided: ${KEY}` } });
    secondary.behave('model-b', { fail: { status: 500, message: `internal error for key ${OTHER_KEY}` } });
  });
  after(async () => {
    await primary.close();
    await secondary.close();
  });

  it('keeps keys out of every engine event, and sends each key only to its own provider', async () => {
    const providers = createProviderRegistry({ config: providersConfig(), env: { PRIMARY_KEY: KEY, SECONDARY_KEY: OTHER_KEY } });
    const p = policy();
    const events: AnswerEvent[] = [];
    for await (const event of answer({ messages: [{ role: 'user', content: 'hello' }] }, { policy: p, router: buildRouter(p), providers })) events.push(event);
    const output = JSON.stringify(events);
    assert.equal(events.at(-1)?.type, 'error');
    assert.ok(!output.includes(KEY), 'the primary key is not in any event');
    assert.ok(!output.includes(OTHER_KEY), 'the secondary key is not in any event');
    assert.match(output, /\[key redacted\]/);
    assert.deepEqual(primary.chatRequests().map((r) => r.headers.authorization), [`Bearer ${KEY}`]);
    assert.deepEqual(secondary.chatRequests().map((r) => r.headers.authorization), [`Bearer ${OTHER_KEY}`]);
  });

  it('keeps keys out of everything omni ask prints, in text and JSON', () => {
    const folder = scratchDir('omni-keys-');
    writeFileSync(join(folder, 'providers.json'), JSON.stringify(providersConfig()));
    writeFileSync(join(folder, 'policy.json'), JSON.stringify(policy()));
    const tsx = pathToFileURL(resolve('node_modules/tsx/dist/loader.mjs')).href;
    for (const json of [[], ['--json']]) {
      const run = spawnSync(process.execPath, ['--import', tsx, resolve('src/cli/main.ts'), 'ask', 'hello', '--policy', 'policy.json', '--providers', 'providers.json', ...json], {
        cwd: folder,
        encoding: 'utf8',
        env: { ...process.env, PRIMARY_KEY: KEY, SECONDARY_KEY: OTHER_KEY },
      });
      const printed = run.stdout + run.stderr;
      assert.notEqual(run.status, 0, 'no model answered');
      assert.ok(printed.length > 0);
      assert.ok(!printed.includes(KEY) && !printed.includes(OTHER_KEY), `a key was printed:\n${printed}`);
    }
  });
});

// The loopback fake provider itself: Arch-Router answers, and running as its own process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createProviderRegistry } from '../../src/core/providers/registry';
import type { ChatProvider } from '../../src/core/providers/types';
import type { ConversationTurn, RouteOption } from '../fake-provider/behaviours';
import { startFakeProvider, type FakeProvider } from '../fake-provider/server';
import { scratchDir } from '../support/scratch';

const routes: RouteOption[] = [
  { name: 'code_generation', description: 'writing new code' },
  { name: 'bug_fixing', description: 'fixing errors' },
];
const conversation: ConversationTurn[] = [{ role: 'user', content: 'Why does this throw a TypeError?' }];
const prompt = `Pick a route.\n<routes>\n${JSON.stringify(routes)}\n</routes>\n<conversation>\n${JSON.stringify(conversation)}\n</conversation>\nAnswer {"route": "route_name"}.`;

let fake: FakeProvider;
let provider: ChatProvider;
before(async () => {
  fake = await startFakeProvider();
  provider = createProviderRegistry({ config: { providers: { arch: { type: 'openai-compatible', baseURL: fake.baseURL } } }, env: {} }).get('arch');
});
after(() => fake.close());

async function ask(): Promise<string> {
  const result = await provider.complete({ model: 'arch-router', messages: [{ role: 'user', content: prompt }], temperature: 0, maxTokens: 16 });
  return result.text;
}

describe('fake Arch-Router', () => {
  test('answers a fixed route in each format seen in practice', async () => {
    const answers: Record<string, string> = {};
    for (const format of ['json', 'single-quotes', 'fenced', 'list'] as const) {
      fake.behave('arch-router', { archRouter: { route: 'bug_fixing', format } });
      answers[format] = await ask();
    }
    assert.deepEqual(answers, {
      json: '{"route":"bug_fixing"}',
      'single-quotes': "{'route': 'bug_fixing'}",
      fenced: '```json\n{"route":"bug_fixing"}\n```',
      list: '{"route":["bug_fixing"]}',
    });
  });

  test('hands the routes and the conversation from the prompt to the choice function', async () => {
    let seen: unknown;
    fake.behave('arch-router', {
      archRouter: {
        choose: (offered, turns) => {
          seen = { offered, turns };
          return offered[0].name;
        },
      },
    });
    assert.equal(await ask(), '{"route":"code_generation"}');
    assert.deepEqual(seen, { offered: routes, turns: conversation });
  });

  test('picks by keywords in the latest user turn, else "other"', async () => {
    fake.behave('arch-router', { archRouter: { keywords: { bug_fixing: ['typeerror'] } } });
    assert.equal(await ask(), '{"route":"bug_fixing"}');
    fake.behave('arch-router', { archRouter: { keywords: { bug_fixing: ['segfault'] } } });
    assert.equal(await ask(), '{"route":"other"}');
  });
});

describe('fake provider as its own process', () => {
  test('prints its address and serves the behaviours file', async () => {
    const file = join(scratchDir('omni-fake-'), 'behaviours.json');
    writeFileSync(file, JSON.stringify({ 'tiny-model': { text: 'from a file' } }));
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fake-provider/main.ts', '--port', '0', '--behaviours', file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (data: Buffer) => {
          const match = /^listening (http:\/\/127\.0\.0\.1:\d+)$/m.exec(String(data));
          if (match) resolve(match[1]);
        });
        child.once('exit', (code) => reject(new Error(`fake provider exited with ${code}`)));
      });
      const models = (await (await fetch(`${url}/v1/models`)).json()) as { data: Array<{ id: string }> };
      assert.deepEqual(models.data.map((model) => model.id), ['tiny-model']);
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ model: 'tiny-model', messages: [{ role: 'user', content: 'hi' }] }),
      });
      const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
      assert.equal(body.choices[0].message.content, 'from a file');
    } finally {
      child.kill();
    }
  });
});

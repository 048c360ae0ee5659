// The two-line notice a chat answer shows when no model could be reached: what is missing, then what to do.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Attempt } from '../../src/core/engine/events';
import { policySchema } from '../../src/core/policy/schema';
import { resolveProviderSettings } from '../../src/core/providers/config';
import { missingKeyError, toProviderError } from '../../src/core/providers/errors';
import type { ProviderError } from '../../src/core/providers/types';
import { setupLines } from '../../src/vscode/chat/answerRunner';

const KEY_COMMAND = '"Omni: Set API Key"';
const settings = resolveProviderSettings({ providers: { fake: { type: 'openai-compatible', baseURL: 'https://fake.example/v1', apiKeyEnv: 'OMNI_FAKE_KEY' } } }).get('fake')!;
const policy = policySchema.parse({
  version: 1,
  models: { general: { provider: 'fake', model: 'fake-general' } },
  routes: [{ name: 'general_chat', description: 'anything', model: 'general' }],
  defaultRoute: 'general_chat',
});

/** The attempt the engine records for `error` on the general model. */
const attempt = (error: ProviderError): Attempt => ({
  model: 'general', provider: error.provider, cause: error.kind, message: error.message, skipped: false, status: error.status, fix: error.fix,
});
const rejected = () => attempt(toProviderError(settings, Object.assign(new Error('401 Invalid API key provided'), { status: 401 }), { keyCommand: KEY_COMMAND }));

describe('setup notice', () => {
  it('tells a rejected key from a missing one, and gives the fix the provider error names', () => {
    const lines = setupLines([rejected()], policy, { localProviders: [], folderOpen: true });
    assert.deepEqual(lines, [
      'No model could answer: fake rejected the key.',
      'Run "Omni: Set API Key" to store a new one (a stored key is used before OMNI_FAKE_KEY). Or use models on this machine: "Omni: Create Policy" → Local models.',
    ]);
  });

  it('names the environment variable a missing key is read from', () => {
    const lines = setupLines([attempt(missingKeyError(settings, KEY_COMMAND))], policy, { localProviders: [], folderOpen: true });
    assert.equal(lines?.[0], 'No model could answer: no key for fake.');
    assert.match(lines?.[1] ?? '', /^Set OMNI_FAKE_KEY or run "Omni: Set API Key"\./);
  });

  it('without a folder, says to open one before Create Policy, which writes into it', () => {
    const lines = setupLines([rejected()], policy, { localProviders: [], folderOpen: false });
    assert.match(lines?.[1] ?? '', / Or use models on this machine: open a folder, then "Omni: Create Policy" → Local models\.$/);
  });

  it('says a local server is not running, and offers no local policy to a policy that already uses it', () => {
    const refused = toProviderError(settings, Object.assign(new Error('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }));
    const lines = setupLines([attempt(refused)], policy, { localProviders: ['fake'], folderOpen: true });
    assert.deepEqual(lines, ['No model could answer: fake is not running on this machine.', 'Start the model server.']);
  });

  it('leaves other failures to the error and its attempts', () => {
    const server = toProviderError(settings, Object.assign(new Error('500 boom'), { status: 500 }));
    assert.equal(setupLines([attempt(server)], policy, { localProviders: [], folderOpen: true }), undefined);
  });
});

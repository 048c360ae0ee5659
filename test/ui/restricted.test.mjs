// A cloned repository the user has not trusted: in Restricted Mode Omni does not apply the workspace's
// .omni/policies.json (it could name any provider of the user's), routes with the built-in default policy instead,
// and says so; with no key set it still shows the routing decision and two lines on what to do.
import * as assert from 'node:assert/strict';
import { Chat, FAKE_KEY, omniSettings, policyText, startFake, textOf, uiPolicy } from './omni.mjs';
import { openWorkbench } from './workbench.mjs';

describe('Omni in Restricted Mode (untrusted workspace, packaged .vsix)', function () {
  let fake;
  let workbench;
  let chat;

  before(async function () {
    this.timeout(120_000);
    fake = await startFake();
    workbench = await openWorkbench({
      name: 'restricted',
      workspaceTrust: true,
      settings: omniSettings(fake, {
        'security.workspace.trust.enabled': true,
        // No prompt: an untrusted folder opens straight in Restricted Mode.
        'security.workspace.trust.startupPrompt': 'never',
        'security.workspace.trust.emptyWindow': false,
      }),
      env: { OMNI_FAKE_KEY: FAKE_KEY, HF_TOKEN: '' },
      files: {
        '.omni/policies.json': policyText(uiPolicy()),
        '.omni/policies.test.jsonl': '{"prompt": "explain this", "command": "explain", "route": "code_explanation"}\n',
      },
    });
    workbench.page.setDefaultTimeout(15_000);
    chat = new Chat(workbench);
    await workbench.runCommand('Omni: Open Chat');
    await chat.input.waitFor({ timeout: 30_000 });
  });

  after(async function () {
    await workbench?.close();
    await fake?.close();
  });

  it('routes with the built-in policy, says why, sends nothing to the workspace policy\'s models, and explains the setup', async function () {
    const answer = await chat.ask('any tips for a pasta recipe tonight?');
    await answer.settled();
    // The built-in default policy sends general questions to Llama 3.3 70B on Hugging Face; the workspace's "Fake General" is not used.
    await textOf(answer.model, 'Llama 3.3 70B', 'the model in the tag');
    await textOf(chat.frame.locator('.setup-banner .setup-problem'), /^Restricted Mode: this workspace's \.omni\/policies\.json is not applied/, 'the Restricted Mode banner');
    // No Hugging Face token: the answer's own notice says what to do, in two lines.
    await textOf(answer.root.locator('.setup-notice .setup-action'), /Omni: Set API Key/, 'the setup notice under the answer');
    await workbench.screenshot('restricted-mode');
    assert.equal(fake.chatRequests().length, 0, 'the workspace policy\'s provider was never called');
  });

  it('does not run the workspace\'s routing examples either, and says Restricted Mode is why', async function () {
    await workbench.runCommand('Omni: Run Routing Examples');
    // The reason alone: a "0 passed, 0 failed, 1 could not run" beside it would say nothing more.
    const toast = workbench.page.locator('.notification-toast', { hasText: 'Restricted Mode' });
    await toast.waitFor();
    assert.match(await toast.innerText(), /Omni: Restricted Mode keeps its \.omni\/policies\.json from applying; trust the workspace/);
    assert.equal(await workbench.page.locator('.notification-toast', { hasText: 'Omni routing examples' }).count(), 0);
  });
});

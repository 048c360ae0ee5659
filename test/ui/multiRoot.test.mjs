// A multi-root workspace: each folder has its own .omni/policies.json, and one of them is broken. The chat shows the
// policy of the folder the user works in, and what a request made in the broken folder needs leads to that folder.
import * as assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Chat, FAKE_KEY, eventually, omniSettings, policyText, startFake, textOf, uiPolicy } from './omni.mjs';
import { openWorkbench } from './workbench.mjs';

// A route without a description and a model the policy lacks: beta's policy never had a valid version.
const BROKEN = '{\n  "version": 1,\n  "models": {},\n  "routes": [{ "name": "x", "model": "nope" }],\n  "defaultRoute": "x"\n}\n';

describe('Omni in a multi-root workspace', function () {
  let workbench;
  let fake;
  let chat;
  before(async function () {
    fake = await startFake();
    workbench = await openWorkbench({
      name: 'multi-root',
      // A provider off this machine: privacy.localOnly keeps private files from it (nothing answers there).
      settings: omniSettings(fake, { 'omni.providers': { ...omniSettings(fake)['omni.providers'], cloud: { type: 'openai-compatible', baseURL: 'https://cloud.invalid/v1', apiKeyEnv: 'OMNI_FAKE_KEY' } } }),
      env: { OMNI_FAKE_KEY: FAKE_KEY },
      window: 'multi.code-workspace',
      files: {
        'multi.code-workspace': JSON.stringify({ folders: [{ path: 'alpha' }, { path: 'beta' }, { path: 'gamma' }] }),
        'alpha/.omni/policies.json': policyText(uiPolicy({ extraModels: { cloud: { provider: 'cloud', model: 'cloud-model', displayName: 'Cloud' } } })),
        'alpha/a.py': 'def f():\n    return 1\n',
        'beta/.omni/policies.json': BROKEN,
        'beta/b.py': 'def g():\n    return 2\n',
        'gamma/.omni/policies.json': policyText({ ...uiPolicy(), privacy: { localOnly: ['secrets/**'] } }),
        'gamma/secrets/key.py': 'API_KEY = "hunter2"\n',
      },
    });
    await workbench.runCommand('Omni: Open Chat');
    chat = new Chat(workbench);
    await chat.input.waitFor({ timeout: 20_000 });
  });
  after(async function () {
    await workbench?.close();
    await fake?.close();
  });

  const banner = () => chat.frame.locator('.setup-banner');
  const models = () => chat.frame.locator('select.model-select option').allTextContents();
  const toast = (text) => workbench.page.locator('.notification-toast', { hasText: text });

  it("shows the policy notice and the models of the active file's folder, before anything is asked", async function () {
    await workbench.openFile('a.py');
    await eventually("alpha's models", models, (shown) => shown.includes('Fake Coder · fake'));
    assert.ok(await banner().isHidden(), 'alpha/.omni/policies.json is fine: no notice');

    await workbench.openFile('b.py');
    await textOf(banner().locator('.setup-problem'), /^Policy problem: beta\/\.omni\/policies\.json has errors \(see Problems\); the built-in default policy routes/, "beta's policy notice");
    await eventually('the built-in policy\'s models, which route b.py', models, (shown) => shown.includes('Qwen3 Coder 480B · huggingface'));

    await workbench.openFile('a.py');
    await eventually('the notice gone in alpha', () => banner().isHidden(), (hidden) => hidden);
    await eventually("alpha's models again", models, (shown) => shown.includes('Fake Coder · fake'));
  });

  it("Save as routing example, for a request made in beta, opens beta's broken policy; once it is gone, creates beta's", async function () {
    const { page } = workbench;
    await workbench.openFile('b.py');
    const answer = await chat.ask('how do I bake bread?');
    await answer.settled(30_000);
    await answer.root.getByRole('button', { name: 'Save as routing example' }).click();
    const broken = toast('Omni: routing examples test a workspace policy, and beta/.omni/policies.json has errors (see Problems)');
    await broken.getByRole('button', { name: 'Open Policy' }).click();
    await page.locator('.editor-group-container.active .tab.active .label-name', { hasText: /^policies\.json$/ }).waitFor();
    await textOf(page.locator('.editor-group-container.active .monaco-breadcrumbs .monaco-breadcrumb-item').first(), 'beta', "the open policy's folder");
    await workbench.tidy();

    rmSync(join(workbench.run.workspace, 'beta/.omni/policies.json'));
    await workbench.openFile('b.py');
    await textOf(banner().locator('.setup-problem'), 'beta/.omni/policies.json was deleted: the built-in default policy routes now.', 'the deletion notice', 20_000);
    await answer.root.getByRole('button', { name: 'Save as routing example' }).click();
    await toast('Omni: routing examples test a workspace policy, and beta has no .omni/policies.json.').getByRole('button', { name: 'Create Policy' }).click();
    // Straight to the template: the request's folder is known, so no "which folder?" first.
    await page.locator('.quick-input-widget .quick-input-title', { hasText: /^Omni: Create Policy$/ }).waitFor();
    await page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: /^Local models with Ollama$/ }) }).click();
    await page.locator('.editor-group-container.active .tab.active .label-name', { hasText: /^policies\.json$/ }).waitFor();
    await textOf(page.locator('.editor-group-container.active .monaco-breadcrumbs .monaco-breadcrumb-item').first(), 'beta', "the new policy's folder");
  });

  it("a private file of one folder stays on this machine when the conversation goes on in another folder, whose policy has no privacy rules", async function () {
    await chat.newChat();
    await workbench.openFile('key.py');
    await workbench.selectLines(1, 1);
    const from = fake.chatRequests().length;
    await workbench.runCommand('Omni: Explain Selection');
    await eventually('the explanation', () => chat.answers.count(), (n) => n === 1);
    const explained = chat.answer(0);
    await explained.settled(30_000);

    // In alpha, Retry with… offers alpha's models, Cloud among them: the selection it repeats is gamma's private file.
    await workbench.openFile('a.py');
    await explained.root.locator('.retry-menu summary').click();
    await explained.root.locator('.retry-menu .menu-item', { hasText: /^Cloud/ }).click();
    await eventually('the retried answer', () => chat.answers.count(), (n) => n === 2);
    const retried = chat.answer(1);
    await retried.settled(30_000);
    await textOf(retried.reason, /Cloud skipped: gamma\/secrets\/key\.py \(the file it is asked from\) may only go to providers on this machine \(privacy\.localOnly\)/, "the retry's reason");

    // A model pinned in alpha: the follow-up carries the explained code as an earlier turn.
    await chat.frame.locator('select.model-select').selectOption({ label: 'Cloud · cloud' });
    const followUp = await chat.ask('and rename the variable');
    await followUp.settled(30_000);
    await textOf(followUp.reason, /Cloud skipped: gamma\/secrets\/key\.py \(from earlier in this conversation\) may only go to providers on this machine/, "the follow-up's reason");
    await chat.frame.locator('select.model-select').selectOption({ index: 0 });
    // Every request went to the local (fake) models; nothing reached a provider off this machine.
    assert.deepEqual(fake.chatRequests().slice(from).map((request) => request.body.model), ['fake-coder', 'fake-general', 'fake-general']);
  });
});

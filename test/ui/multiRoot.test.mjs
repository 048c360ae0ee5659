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
  const omniItem = () => workbench.page.locator('.statusbar-item[id="omni-dev.omni-router.omni.route"]');
  /** The policy an answer's Details name as the one that routed it. */
  const routedBy = async (answer) => {
    const details = answer.root.locator('.tag-details');
    if ((await details.getAttribute('open')) === null) await details.locator('summary').click();
    return textOf(details.locator('dt', { hasText: /^Policy$/ }).locator('xpath=following-sibling::dd[1]'), /./, 'the Policy row of the Details');
  };

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

  it("each answer's Details and the status bar name the folder whose policy routed it", async function () {
    await workbench.tidy();
    await chat.newChat();
    await workbench.openFile('a.py');
    const inAlpha = await chat.ask('any tips for a pasta recipe tonight?');
    await inAlpha.settled(30_000);
    assert.equal(await routedBy(inAlpha), 'alpha/.omni/policies.json');
    await eventually("the status item to name alpha's policy", () => omniItem().getAttribute('aria-label'), (label) => label === 'Omni: last route general_chat, model Fake General, by alpha/.omni/policies.json');

    await workbench.openFile('key.py');
    const inGamma = await chat.ask('any tips for a salad recipe tonight?');
    await inGamma.settled(30_000);
    assert.equal(await routedBy(inGamma), 'gamma/.omni/policies.json');
    await eventually("the status item to name gamma's policy", () => omniItem().getAttribute('aria-label'), (label) => label.endsWith(', by gamma/.omni/policies.json'));
  });

  it("a view of a file under another scheme (Compare with Saved's saved side) is routed by its own folder's policy, not the first folder's", async function () {
    const { page } = workbench;
    await workbench.tidy();
    await chat.newChat();
    await workbench.openFile('key.py');
    // The saved line differs from the editor's: what is asked shows which side the selection came from.
    await page.keyboard.press('Control+Home');
    await page.keyboard.type('EDITED_');
    await workbench.runCommand('File: Compare Active File with Saved');
    await page.locator('.editor-group-container.active .monaco-diff-editor .editor.original .view-line').first().click();
    await page.keyboard.press('Home');
    await page.keyboard.press('Shift+End');
    const from = fake.chatRequests().length;
    // The key binding, not the palette: the palette gives the focus back to the diff's modified side.
    await page.keyboard.press('Control+Alt+E');
    await eventually('the explanation', () => chat.answers.count(), (n) => n === 1);
    const explained = chat.answer(0);
    await explained.settled(30_000);
    const asked = JSON.stringify(fake.chatRequests().slice(from).map((request) => request.body.messages));
    assert.ok(asked.includes('API_KEY = \\"hunter2\\"') && !asked.includes('EDITED_'), `the saved side's line is asked about: ${asked.slice(0, 300)}`);
    assert.equal(await routedBy(explained), 'gamma/.omni/policies.json');
    await workbench.tidy();
  });

  it('a selection command waiting for the chat keeps the policy of the file it was given in, whatever file is open when it starts', async function () {
    await workbench.tidy();
    await chat.newChat();
    fake.behave('fake-general', { hang: true });
    try {
      await workbench.openFile('a.py');
      const streaming = await chat.ask('any tips for a soup recipe tonight?');
      await textOf(chat.button, 'Stop', 'the composer button while the first answer waits');
      await workbench.openFile('key.py');
      await workbench.selectLines(1, 1);
      await workbench.runCommand('Omni: Explain Selection');
      await workbench.page.locator('.notification-toast', { hasText: 'Omni: Explain Selection starts when the answer streaming in the chat ends' }).waitFor();
      await workbench.openFile('a.py');
      await chat.button.click();
      await streaming.settled(10_000);
      await eventually('the explanation', () => chat.answers.count(), (n) => n === 2);
      const explained = chat.answer(1);
      await explained.settled(30_000);
      await textOf(chat.frame.locator('.transcript .user-turn').last(), 'Explain the selection (secrets/key.py:1-1)', 'the request');
      assert.equal(await routedBy(explained), 'gamma/.omni/policies.json');
    } finally {
      fake.behave('fake-general', {});
    }
  });
});

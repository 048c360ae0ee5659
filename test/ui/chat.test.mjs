// The chat, Explain/Refactor Selection and the workspace policy, used as a person uses them: the packaged .vsix in
// code-server, configured through user settings.json, an environment variable for the key and .omni/policies.json,
// answering from a loopback fake provider that runs in this process. One window serves all scenarios (each starts
// with a fresh conversation and a tidy window); the reload scenario runs last.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Chat, FAKE_KEY, eventually, omniSettings, policyText, startFake, textOf, uiPolicy } from './omni.mjs';
import { openWorkbench } from './workbench.mjs';

const SOURCE = 'import os\n\ndef add(a, b):\n    total = a + b\n    return total\n\nprint(add(1, 2))\n';
const PROPOSAL = '```python\ndef add(a, b):\n    return a + b\n```\nInlined the temporary variable.';
const CODE_ANSWER = 'Split on commas:\n\n```python\ndef parse_csv_line(line: str) -> list[str]:\n    return [field.strip() for field in line.split(",")]\n```\n\nQuoted fields need the `csv` module.';

describe('Omni chat, selection commands and policy (packaged .vsix)', function () {
  let fake;
  let workbench;
  let chat;

  /** Chat requests the fake provider received since `from`. */
  const requestsSince = (from) => fake.chatRequests().slice(from);
  const lastPrompt = (request) => request.body.messages.at(-1).content;

  before(async function () {
    this.timeout(120_000);
    fake = await startFake();
    workbench = await openWorkbench({
      name: 'chat',
      // Side by side even when the editor is narrow, so the diff reads as before/after.
      settings: omniSettings(fake, { 'diffEditor.useInlineViewWhenSpaceIsLimited': false }),
      env: { OMNI_FAKE_KEY: FAKE_KEY },
      files: { '.omni/policies.json': policyText(uiPolicy()), 'refactor_me.py': SOURCE },
    });
    workbench.page.setDefaultTimeout(15_000);
    chat = new Chat(workbench);
    await workbench.runCommand('Omni: Open Chat');
    await chat.input.waitFor({ timeout: 30_000 });
    await widenSideBar(workbench.page);
  });

  after(async function () {
    await workbench?.close();
    await fake?.close();
  });

  beforeEach(async function () {
    fake.behave('fake-coder', { text: 'Coder answer.' });
    fake.behave('fake-general', { text: 'General answer.' });
    fake.behave('fake-reviewer', { text: 'Reviewer answer.' });
    await workbench.tidy();
    await chat.newChat();
  });

  it('1. a coding question with a .py file open streams from the coder, tagged with model and reason before the first token', async function () {
    fake.behave('fake-coder', { text: CODE_ANSWER, firstTokenDelayMs: 1_500, chunkDelayMs: 20 });
    await workbench.openFile('inventory.py');
    await workbench.runCommand('Omni: Open Chat');
    const from = fake.chatRequests().length;
    const answer = await chat.ask('write a python function that parses a CSV line into fields');

    // The tag and the body read together, in the page, the moment the tag names a model: the body must still be empty.
    const seen = await eventually('the tag to name a model', () => answer.root.evaluate((node) => ({
      model: node.querySelector('.tag-model')?.textContent ?? null,
      body: node.querySelector('.markdown')?.textContent ?? null,
    })), (snapshot) => snapshot.model !== null, 10_000);
    assert.deepEqual(seen, { model: 'Fake Coder', body: '' }, 'the tag shows the coder while the answer is still empty');
    // ... and the model has not sent a byte yet: its request still waits out firstTokenDelayMs.
    const [request] = await eventually('the request to the coder', () => requestsSince(from), (r) => r.length === 1, 5_000);
    assert.ok(request.open, 'the coder request is still waiting for its first token when the tag shows');
    assert.equal(await answer.body.textContent(), '', 'the answer body is still empty');
    assert.equal(await answer.route.textContent(), 'code_generation');
    assert.equal(await answer.stage.textContent(), 'local classifier');
    assert.match(await answer.reason.textContent(), /^local classifier picked code_generation \(confidence \d\.\d\d\)$/);
    assert.equal(await chat.button.getAttribute('aria-label'), 'Stop answer', 'the Send button turns into Stop while streaming');
    await workbench.screenshot('chat-tag-before-first-token');

    await answer.settled();
    await textOf(answer.root.locator('pre code'), 'def parse_csv_line(line: str) -> list[str]:\n    return [field.strip() for field in line.split(",")]\n', 'the streamed code block');
    await textOf(answer.footer.locator('span').last(), 'Fake Coder', 'the footer\'s model');
    assert.equal(request.body.model, 'fake-coder');
    assert.equal(request.headers.authorization, `Bearer ${FAKE_KEY}`, 'the key from OMNI_FAKE_KEY reaches the provider');
    assert.equal(requestsSince(from).length, 1);
    await workbench.screenshot('chat-coding-answer');
  });

  it('2. a non-coding question is routed to the general model, and the tag says so', async function () {
    fake.behave('fake-general', { text: 'Toss the pasta with garlic, olive oil and chilli.' });
    const from = fake.chatRequests().length;
    const answer = await chat.ask('any tips for a pasta recipe tonight?');
    await answer.settled();
    assert.equal(await answer.route.textContent(), 'general_chat');
    assert.equal(await answer.model.textContent(), 'Fake General');
    assert.match(await answer.reason.textContent(), /^local classifier picked general_chat \(confidence \d\.\d\d\)$/);
    await textOf(answer.paragraph, 'Toss the pasta with garlic, olive oil and chilli.', 'the answer');
    assert.deepEqual(requestsSince(from).map((r) => r.body.model), ['fake-general']);
    await workbench.screenshot('chat-general-answer');
  });

  it('turning on "omni.showReasoning" opens the next answer\'s Reasoning in the chat already open', async function () {
    fake.behave('fake-general', { text: 'Boil the pasta.', reasoning: { text: 'The user wants dinner ideas.', as: 'reasoning_content' } });
    const before = await chat.ask('any tips for a pasta recipe tonight?');
    await before.settled();
    assert.equal(await before.root.locator('details.reasoning').getAttribute('open'), null);
    // The chat stays open in the side bar meanwhile: it is not reopened, and before, kept the old setting until it was.
    await workbench.setBooleanSetting('omni.showReasoning', true);
    try {
      // The Settings editor writes the change a moment after the click: the first answer after it may be too early.
      await eventually(
        "a new answer's Reasoning open",
        async () => {
          const after = await chat.ask('and a quick sauce for it?');
          await after.settled();
          return after.root.locator('details.reasoning').getAttribute('open');
        },
        (open) => open === '',
      );
    } finally {
      await workbench.setBooleanSetting('omni.showReasoning', false);
    }
  });

  it('3. right-click → Explain Selection answers in the chat with the selection as context', async function () {
    fake.behave('fake-coder', { text: 'It returns a new Item with the quantity raised by amount.' });
    await workbench.openFile('inventory.py');
    await workbench.selectLines(19, 22);
    const from = fake.chatRequests().length;
    await workbench.contextMenu('Explain Selection');

    await textOf(chat.userTurns.last(), 'Explain the selection (inventory.py:19-22)', 'the user turn of Explain');
    const answer = await chat.last();
    await answer.settled();
    assert.equal(await answer.route.textContent(), 'code_explanation');
    assert.equal(await answer.stage.textContent(), 'policy rule');
    await textOf(answer.paragraph, 'It returns a new Item with the quantity raised by amount.', 'the explanation');
    const requests = requestsSince(from);
    assert.deepEqual(requests.map((r) => r.body.model), ['fake-coder']);
    const prompt = lastPrompt(requests[0]);
    const selected = 'def restock(item: Item, amount: int) -> Item:\n    if amount <= 0:\n        raise ValueError("amount must be positive")\n    return Item(item.sku, item.name, item.quantity + amount, item.reorder_at)';
    assert.ok(prompt.includes(selected), `the request carries the selected code; its last message is:\n${prompt}`);
    assert.match(prompt, /inventory\.py/, 'the request names the file');
    await workbench.screenshot('explain-selection');
  });

  it('4. Refactor Selection opens a diff; Apply changes the file, Ctrl+Z restores it', async function () {
    fake.behave('fake-coder', { text: PROPOSAL });
    const page = workbench.page;
    await workbench.openFile('refactor_me.py');
    await workbench.selectLines(3, 5);
    const from = fake.chatRequests().length;
    await workbench.contextMenu('Refactor Selection');

    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor();
    await textOf(page.locator('.quick-input-widget .quick-input-title'), 'Omni: Refactor Selection', 'the input box title');
    await input.fill('inline the temporary');
    await input.press('Enter');

    const diffTab = page.locator('.editor-group-container.active .tab.active .label-name', { hasText: /^Refactor: refactor_me\.py \(original ↔ proposed\)$/ });
    await diffTab.waitFor({ timeout: 20_000 });
    const diff = page.locator('.editor-group-container.active .monaco-diff-editor');
    const modified = diff.locator('.editor.modified .monaco-editor').first();
    // The whole file on both sides, so the change shows in its context.
    const applied = ['import os', '', 'def add(a, b):', '    return a + b', '', 'print(add(1, 2))', ''];
    await eventually('the file with the proposal on the right of the diff', () => workbench.editorLines(modified), (lines) => lines.join('\n') === applied.join('\n'));
    assert.deepEqual(await workbench.editorLines(diff.locator('.editor.original .monaco-editor').first()), SOURCE.split('\n'));
    await textOf(chat.userTurns.last(), 'Refactor the selection (refactor_me.py:3-5): inline the temporary', 'the user turn of Refactor');
    const [request] = requestsSince(from);
    assert.equal(request.body.model, 'fake-coder');
    assert.match(lastPrompt(request), /^Refactor the selected code: inline the temporary\./);
    const apply = page.locator('.notification-toast', { hasText: 'Omni: the refactoring proposal is open as a diff.' })
      .locator('.monaco-button', { hasText: /^Apply$/ });
    await apply.waitFor();
    await page.waitForTimeout(300); // the notification slides in
    await workbench.screenshot('refactor-diff');

    await apply.click();
    await diffTab.waitFor({ state: 'detached' });
    await page.locator('.editor-group-container.active .tab.active .label-name', { hasText: /^refactor_me\.py$/ }).waitFor();
    await eventually('the applied refactoring in refactor_me.py', () => workbench.editorLines(), (lines) => lines.join('\n') === applied.join('\n'));

    await page.locator('.editor-group-container.active .monaco-editor .view-line').first().click();
    await page.keyboard.press('Control+Z');
    await eventually('Ctrl+Z to restore refactor_me.py in one step', () => workbench.editorLines(), (lines) => lines.join('\n') === SOURCE);
  });

  it('5. an invalid policy shows a Problems entry at its line; the fix clears it and routing follows it without a reload', async function () {
    const page = workbench.page;
    try {
      const broken = policyText(uiPolicy()).replace('"model": "coder",\n      "fallbacks"', '"model": "codr",\n      "fallbacks"');
      const line = broken.split('\n').findIndex((text) => text.includes('"codr"')) + 1;
      const column = broken.split('\n')[line - 1].indexOf('"codr"') + 1;
      assert.ok(line > 0, 'the test broke the policy');
      workbench.writeFile('.omni/policies.json', broken);
      // A person sees the error count in the status bar, opens Problems from there and clicks the entry.
      await eventually('the status bar to count 1 error', () => page.locator('.statusbar-item[id="status.problems"]').textContent(), (text) => /^\s*1\s*0\s*$/.test(text ?? ''), 20_000);
      // Omni's own item says the policy has a problem, and that the last valid version keeps routing.
      const omniItem = page.locator('.statusbar-item[id="omni-dev.omni-router.omni.route"]');
      await eventually('Omni\'s status item to warn', () => omniItem.getAttribute('aria-label'), (label) => /policy problem: \.omni\/policies\.json has errors \(see Problems\); its last valid version keeps routing/.test(label ?? ''), 20_000);
      await page.locator('.statusbar-item[id="status.problems"] a').first().click();
      const entry = page.locator('.markers-panel .monaco-list-row', { has: page.locator('.marker-message-details-container') });
      await textOf(entry.locator('.marker-message'), 'no model "codr" in "models". Did you mean "coder"? (at routes[0].model)', 'the Problems entry', 20_000);
      await textOf(entry.locator('.marker-line'), `[Ln ${line}, Col ${column}]`, 'the place of the Problems entry');
      await textOf(entry.locator('.marker-source'), 'Omni policy', 'the source of the Problems entry');
      assert.equal(await entry.count(), 1, 'one Problems entry');
      await entry.click();
      await page.locator('.editor-group-container.active .tab.active .label-name', { hasText: /^policies\.json$/ }).waitFor();
      // The entry jumps to the place and selects the bad value, "codr" with its quotes.
      await textOf(page.locator('.statusbar-item[id="status.editor.selection"]'), `Ln ${line}, Col ${column + 6} (6 selected)`, 'the selection after clicking the entry');
      await workbench.screenshot('policy-problem');
      await textOf(page.locator('.statusbar-item[id="status.editor.mode"]'), 'JSON with Comments', 'the policy file\'s language');

      // Fixed in the editor but not saved: Problems is empty, so the warning must say what is left to do.
      // A click on a Problems entry leaves the keyboard in the panel.
      await workbench.runCommand('View: Focus Active Editor Group');
      await page.keyboard.press('Backspace');
      await page.keyboard.insertText('"coder"');
      await eventually('the Problems entry to go with the unsaved fix', () => entry.count(), (n) => n === 0, 20_000);
      await eventually('Omni\'s status item to ask for a save', () => omniItem.getAttribute('aria-label'), (label) => /policies\.json has errors in its saved version, which unsaved edits fix: save the file to apply them/.test(label ?? ''), 20_000);
      await workbench.runCommand('File: Revert File');
      await eventually('the warning to be back once the fix is reverted', () => omniItem.getAttribute('aria-label'), (label) => /has errors \(see Problems\)/.test(label ?? ''), 20_000);

      // The fix also moves non-coding questions to a new model, so a request shows whether the new policy routes.
      // It has a comment and a trailing comma, which the README allows: VS Code's JSON checker must not flag them.
      const fixed = policyText(uiPolicy({
        generalModel: 'reviewer',
        extraModels: { reviewer: { provider: 'fake', model: 'fake-reviewer', displayName: 'Fake Reviewer' } },
      }));
      workbench.writeFile('.omni/policies.json', fixed.replace(/^\{\n/, '{\n  // non-coding questions go to the reviewer\n').replace(/\n\}\n$/, ',\n}\n'));
      await eventually('the Problems entry to disappear', () => entry.count(), (n) => n === 0, 20_000);
      await page.locator('.markers-panel').getByText('No problems have been detected in the workspace.', { exact: true }).waitFor();
      await eventually('Omni\'s status item to stop warning', () => omniItem.getAttribute('aria-label'), (label) => !/policy problem/.test(label ?? ''), 20_000);
      await eventually('the chat to offer the new policy\'s models', () => chat.frame.locator('select.model-select option').allTextContents(), (options) => options.includes('Fake Reviewer · fake'));
      const from = fake.chatRequests().length;
      const answer = await chat.ask('any tips for a pasta recipe tonight?');
      await answer.settled();
      assert.equal(await answer.model.textContent(), 'Fake Reviewer');
      await textOf(answer.paragraph, 'Reviewer answer.', 'the answer from the new policy\'s model');
      assert.deepEqual(requestsSince(from).map((r) => r.body.model), ['fake-reviewer']);
    } finally {
      // Undo the scenario's policy even when it failed, so the next scenarios route as they expect.
      workbench.writeFile('.omni/policies.json', policyText(uiPolicy()));
      await eventually('the scenarios\' policy to be back', async () => ({
        options: await chat.frame.locator('select.model-select option').allTextContents(),
        problems: await page.locator('.statusbar-item[id="status.problems"]').getAttribute('aria-label'),
      }), ({ options, problems }) => !options.includes('Fake Reviewer · fake') && problems === 'No Problems')
        .catch((error) => console.error(`      cleanup: ${error.message}`));
      if (await page.locator('.part.panel').isVisible()) await workbench.runCommand('View: Hide Panel').catch((error) => console.error(`      cleanup: ${error.message}`));
    }
  });

  it('a policy file deleted, renamed, or with a folder in its place: the chat and the status bar say the built-in policy routes now; Create Policy from the status bar restores it', async function () {
    const { page } = workbench;
    const banner = chat.frame.locator('.setup-banner');
    const omniItem = page.locator('.statusbar-item[id="omni-dev.omni-router.omni.route"]');
    const omni = join(workbench.run.workspace, '.omni');
    const file = join(omni, 'policies.json');
    const restore = async () => {
      rmSync(omni, { recursive: true, force: true });
      workbench.writeFile('.omni/policies.json', policyText(uiPolicy()));
      await eventually('the notice to go once the policy is back', () => banner.isHidden(), (hidden) => hidden, 20_000);
      await eventually('Omni\'s status item to stop warning', () => omniItem.getAttribute('aria-label'), (label) => !/policy problem/.test(label ?? ''), 20_000);
    };
    const gone = async (how, problem) => {
      await textOf(banner.locator('.setup-problem'), `${problem}: the built-in default policy routes now.`, `the notice when ${how}`, 20_000);
      // The status bar used to stay as it was, the only sign of the change a banner in a chat view that may be closed.
      await eventually(`Omni's status item to warn when ${how}`, () => omniItem.getAttribute('aria-label'), (label) => (label ?? '').endsWith(`; policy problem: ${problem}; the built-in default policy routes now`), 20_000);
      await eventually('the chat to offer the built-in policy\'s models', () => chat.frame.locator('select.model-select option').allTextContents(), (options) => !options.some((o) => o.endsWith(' · fake')));
    };
    try {
      rmSync(file);
      await gone('the file is deleted', '.omni/policies.json was deleted');
      await restore();
      rmSync(omni, { recursive: true });
      await gone('its folder is deleted', '.omni/policies.json was deleted');
      await restore();
      renameSync(file, `${file}.bak`);
      await gone('the file is renamed', '.omni/policies.json was deleted');
      await restore();
      rmSync(file);
      mkdirSync(file);
      await gone('a folder takes its place', '.omni/policies.json is a folder, not a file');
      await restore();

      // A click on the warning creates the policy again, in the folder whose policy went.
      rmSync(omni, { recursive: true });
      await gone('it is deleted again', '.omni/policies.json was deleted');
      await omniItem.locator('a').first().click();
      await page.locator('.quick-input-widget .quick-input-title', { hasText: /^Omni: Create Policy$/ }).waitFor();
      await page.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: /^Hugging Face models \(default\)$/ }) }).click();
      await page.locator('.editor-group-container.active .tab.active .label-name', { hasText: /^policies\.json$/ }).waitFor();
      await eventually('the notice to go once the policy is created', () => banner.isHidden(), (hidden) => hidden, 20_000);
      await eventually('Omni\'s status item to stop warning', () => omniItem.getAttribute('aria-label'), (label) => !/policy problem/.test(label ?? ''), 20_000);
      assert.match(readFileSync(file, 'utf8'), /"huggingface"/);
    } finally {
      await restore();
    }
    await eventually('the chat to offer the policy\'s models again', () => chat.frame.locator('select.model-select option').allTextContents(), (options) => options.includes('Fake Coder · fake'));
  });

  it('a chat view opened after the policy changed says what holds now, and a pinned model leaving the policy is explained', async function () {
    const page = workbench.page;
    const banner = chat.frame.locator('.setup-banner');
    // A hidden banner keeps its text: what the user sees is the text of a visible one.
    const notice = async () => ((await banner.isVisible()) ? banner.locator('.setup-problem').textContent() : '(no notice)');
    const select = chat.frame.locator('select.model-select');
    const omniItem = page.locator('.statusbar-item[id="omni-dev.omni-router.omni.route"]');
    const reviewer = { reviewer: { provider: 'fake', model: 'fake-reviewer', displayName: 'Fake Reviewer' } };
    try {
      workbench.writeFile('.omni/policies.json', policyText(uiPolicy({ extraModels: reviewer })));
      await eventually('the chat to offer the reviewer', () => select.locator('option').allTextContents(), (options) => options.includes('Fake Reviewer · fake'), 20_000);
      await select.selectOption({ label: 'Fake Reviewer · fake' });
      workbench.writeFile('.omni/policies.json', policyText(uiPolicy()));
      // The notice used to be cleared at once by the policy's "all is well", so the choice went back to Auto unexplained.
      const unpinned = 'The model you chose, "reviewer", is no longer in .omni/policies.json.';
      await eventually('the notice about the pinned model', notice, (text) => text === unpinned, 20_000);
      assert.equal(await select.evaluate((s) => s.options[s.selectedIndex].text), 'Auto (routed)');

      // The side bar shows another view, so VS Code drops the chat's; it is made afresh when shown again.
      await workbench.runCommand('View: Show Explorer');
      workbench.writeFile('.omni/policies.json', policyText(uiPolicy()).replace('"model": "coder",\n      "fallbacks"', '"model": "codr",\n      "fallbacks"'));
      // Read as words, not "Omni: Omni" or an arrow: the route as the item says it without a problem.
      const warns = /^Omni: (no request routed yet|last route \w+, (model .+|no model answered)); policy problem: \.omni\/policies\.json has errors/;
      await eventually('Omni\'s status item to warn', () => omniItem.getAttribute('aria-label'), (label) => warns.test(label ?? ''), 20_000);
      await workbench.runCommand('Omni: Open Chat');
      const broken = 'Policy problem: .omni/policies.json has errors (see Problems); its last valid version keeps routing.';
      await eventually('the notice in the reopened view', notice, (text) => text === broken, 20_000);

      await workbench.runCommand('View: Show Explorer');
      workbench.writeFile('.omni/policies.json', policyText(uiPolicy()));
      await eventually('Omni\'s status item to stop warning', () => omniItem.getAttribute('aria-label'), (label) => !/policy problem/.test(label ?? ''), 20_000);
      await workbench.runCommand('Omni: Open Chat');
      await chat.input.waitFor();
      // The view restores what it last showed, a notice that no longer holds, until Omni says otherwise.
      await eventually('the stale notice to go', notice, (text) => text === '(no notice)', 20_000);
    } finally {
      workbench.writeFile('.omni/policies.json', policyText(uiPolicy()));
      await workbench.runCommand('Omni: Open Chat');
    }
  });

  it('6. when the primary model breaks mid-stream, the fallback answers and the chat shows the switch', async function () {
    fake.behave('fake-coder', { text: 'This partial answer from the coder will break off.', chunks: 4, chunkDelayMs: 100, dropAfterChunks: 2 });
    fake.behave('fake-general', { text: 'The complete answer, from the fallback.' });
    const from = fake.chatRequests().length;
    const answer = await chat.ask('write a python function that parses a CSV line into fields');
    await answer.settled();
    assert.equal(await answer.model.textContent(), 'Fake Coder', 'the tag keeps the routed model');
    await textOf(answer.notes, /^Fake Coder failed \(.+\); trying Fake General — partial text discarded$/, 'the fallback note');
    await textOf(answer.paragraph, 'The complete answer, from the fallback.', 'the answer, from the fallback only');
    await textOf(answer.footer.locator('span').last(), 'Fake General', 'the footer\'s model');
    assert.deepEqual(requestsSince(from).map((r) => r.body.model), ['fake-coder', 'fake-general']);
    await workbench.screenshot('fallback-note');
  });

  it('a refused key ends the answer with "Set API Key for fake"; the button stores a new key, which the next request sends', async function () {
    const picker = workbench.page.locator('.quick-input-widget');
    fake.behave('fake-general', { fail: { status: 401, message: 'Invalid API key provided' } });
    const answer = await chat.ask('any tips for a pasta recipe tonight?');
    await answer.settled();
    await textOf(answer.root.locator('.setup-notice .setup-problem'), 'No model could answer: fake rejected the key.', 'the setup notice');
    await answer.root.getByRole('button', { name: 'Set API Key for fake' }).click();
    await textOf(picker.locator('.quick-input-title'), 'Omni: API key for fake', 'the input box the button opens');
    await picker.locator('.quick-input-box input').fill('sk-replaced-456');
    await picker.locator('.quick-input-box input').press('Enter');
    await workbench.page.locator('.notification-toast', { hasText: 'Omni: key saved for fake.' }).waitFor();
    try {
      // The provider takes the new key.
      fake.behave('fake-general', { text: 'Salad answer.' });
      const from = fake.chatRequests().length;
      await (await chat.ask('any tips for a salad recipe tonight?')).settled();
      assert.equal(requestsSince(from)[0].headers.authorization, 'Bearer sk-replaced-456', 'the stored key is sent from then on');
    } finally {
      // The other scenarios expect the key from OMNI_FAKE_KEY.
      await workbench.runCommand('Omni: Remove API Key', 30_000, { opensQuickInput: true });
      await picker.locator('.quick-input-list .monaco-list-row', { hasText: 'fake' }).first().click();
      await workbench.page.locator('.notification-toast', { hasText: 'Omni: key removed for fake.' }).waitFor();
    }
  });

  it('the status bar names the last route and model, and says so when no model answered', async function () {
    const omniItem = workbench.page.locator('.statusbar-item[id="omni-dev.omni-router.omni.route"]');
    fake.behave('fake-general', { text: 'Toss the pasta with garlic, olive oil and chilli.' });
    await (await chat.ask('any tips for a pasta recipe tonight?')).settled();
    await eventually('the status item to name the route and model', () => omniItem.getAttribute('aria-label'), (label) => label === 'Omni: last route general_chat, model Fake General');
    fake.behave('fake-general', { fail: { status: 500, message: 'boom' } });
    try {
      await (await chat.ask('any tips for a salad recipe tonight?')).settled();
      await eventually('the status item to say no model answered', () => omniItem.getAttribute('aria-label'), (label) => label === 'Omni: last route general_chat, no model answered');
      await textOf(omniItem, /general_chat → no answer/, 'the status item text');
    } finally {
      fake.behave('fake-general', { text: 'general answer' });
    }
  });

  it('Retry with… asks the same question again on the model the user picks, and the new tag names it', async function () {
    const question = 'write a python function that parses a CSV line into fields';
    const first = await chat.ask(question);
    await first.settled();
    await textOf(first.model, 'Fake Coder', 'the first answer\'s model');
    const from = fake.chatRequests().length;
    await first.root.locator('.retry-menu summary').click();
    await first.root.locator('.retry-menu .menu-item', { hasText: /^Fake General/ }).click();
    await eventually('a second answer', () => chat.answers.count(), (n) => n === 2);
    const retried = chat.answer(1);
    await retried.settled();
    await textOf(retried.model, 'Fake General', 'the retried answer\'s model');
    await textOf(retried.paragraph, 'General answer.', 'the retried answer');
    await textOf(chat.userTurns.nth(1), question, 'the repeated question');
    assert.deepEqual(requestsSince(from).map((r) => [r.body.model, lastPrompt(r)]), [['fake-general', question]]);
    // Asked as it was first asked: before, the retried model also saw the answer it replaces.
    assert.deepEqual(requestsSince(from)[0].body.messages.filter((m) => m.role !== 'system'), [{ role: 'user', content: question }]);

    // Saved as a routing example, the retry has the history it was asked with: none, not the answer it replaces.
    await retried.root.getByRole('button', { name: 'Save as routing example' }).click();
    const rows = workbench.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    await rows.filter({ has: workbench.page.locator('.label-name', { hasText: /^code_generation$/ }) }).click();
    await workbench.page.locator('.notification-toast', { hasText: 'saved as line' }).waitFor();
    const lines = readFileSync(join(workbench.run.workspace, '.omni/policies.test.jsonl'), 'utf8').trimEnd().split('\n');
    assert.deepEqual(JSON.parse(lines.at(-1)), { prompt: question, route: 'code_generation' });
  });

  it('a stopped answer names the model that streamed it, a fallback too; opening the conversation on screen from History does not stop it', async function () {
    fake.behave('fake-coder', { fail: { status: 500, message: 'boom' } });
    fake.behave('fake-general', { text: Array.from({ length: 80 }, (_, i) => `word${i}`).join(' '), chunkDelayMs: 100 });
    const answer = await chat.ask('write a python function that parses a CSV line into fields');
    await eventually('the fallback\'s first tokens', () => answer.body.textContent(), (text) => /^word0 /.test(text ?? ''));
    // Before, this read the conversation back from disk: the answer stopped, and the view hung on "Routing…".
    await chat.frame.getByRole('button', { name: 'History' }).click();
    await chat.frame.locator('button.history-open[aria-current="true"]').click();
    const shown = (await answer.body.textContent()).length;
    await eventually('the answer to go on streaming', () => answer.body.textContent(), (text) => (text ?? '').length > shown);
    await chat.input.click();
    await chat.input.press('Escape');
    await answer.settled(5_000);
    await textOf(answer.footer.locator('.stopped'), 'stopped', 'the footer');
    // Before, the footer named the routed model, though the fallback's text (and price) was what it showed.
    await textOf(answer.footer, /Fake General/, 'the footer\'s model');
    assert.doesNotMatch(await answer.footer.textContent(), /Fake Coder/);
    await textOf(chat.button, 'Send', 'the composer button');
  });

  it('a conversation History cannot delete (its file is locked) stays listed, and a notification says which file and why', async function () {
    const question = 'what is a good name for a lighthouse keeper\'s cat?';
    await (await chat.ask(question)).settled();
    const file = await eventually('the conversation saved in the workspace storage', () => conversationFile(workbench.run.userDataDir, question), Boolean);
    const unlock = lockAgainstDeletion(file);
    try {
      await chat.newChat();
      await chat.frame.getByRole('button', { name: 'History' }).click();
      const row = chat.frame.locator('.history-item', { hasText: question });
      await row.locator('.history-delete').click();
      await workbench.page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Delete$/ }).click();
      // Before, the failure went to the log only: no notification, and the row stayed with no word why.
      const toast = workbench.page.locator('.notification-toast', { hasText: 'could not delete the conversation' });
      await toast.waitFor();
      const text = await toast.innerText();
      assert.ok(text.includes(`Omni could not delete the conversation “${question}”`), text);
      assert.ok(text.includes(basename(file)), `the notification names the file: ${text}`);
      assert.equal(await row.count(), 1, 'the conversation is still on disk, so still listed');
    } finally {
      unlock();
    }
    await chat.frame.locator('.history-item', { hasText: question }).locator('.history-delete').click();
    await workbench.page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Delete$/ }).click();
    await eventually('the row to go once the file can be deleted', () => chat.frame.locator('.history-item', { hasText: question }).count(), (n) => n === 0);
    assert.equal(existsSync(file), false);
  });

  it('Save as routing example: the user picks the route the request should take, and it becomes a line of .omni/policies.test.jsonl', async function () {
    const { page } = workbench;
    const question = 'write a python function that parses a CSV line into fields';
    const answer = await chat.ask(question);
    await answer.settled();
    await textOf(answer.route, 'code_generation', 'the route');
    await answer.root.getByRole('button', { name: 'Save as routing example' }).click();

    const picker = page.locator('.quick-input-widget');
    await picker.waitFor();
    assert.match(await picker.locator('.quick-input-box input').getAttribute('placeholder'), /^Which route should "write a python function that parses a CSV line into fields" take\?$/);
    const rows = picker.locator('.quick-input-list .monaco-list-row');
    await textOf(rows.filter({ hasText: 'Omni routed here' }).locator('.label-name'), 'code_generation', 'the route marked as chosen by Omni');
    await workbench.screenshot('save-routing-example-pick');
    await rows.filter({ has: page.locator('.label-name', { hasText: /^code_explanation$/ }) }).click();

    const toast = page.locator('.notification-toast', { hasText: 'saved as line' });
    await toast.waitFor();
    const lines = readFileSync(join(workbench.run.workspace, '.omni/policies.test.jsonl'), 'utf8').trimEnd().split('\n');
    assert.match(await toast.innerText(), new RegExp(`Omni: saved as line ${lines.length} of \\.omni/policies\\.test\\.jsonl, expecting code_explanation \\(Omni chose code_generation\\)\\.`));
    assert.deepEqual(JSON.parse(lines.at(-1)), { prompt: question, route: 'code_explanation' });
  });

  it('7. Stop and Escape cancel a streaming answer: the provider sees the client close the connection', async function () {
    const long = Array.from({ length: 120 }, (_, i) => `word${i}`).join(' ');
    fake.behave('fake-coder', { text: long, chunkDelayMs: 100 });
    for (const how of ['Stop button', 'Escape']) {
      const from = fake.chatRequests().length;
      const answer = await chat.ask('write a python function that parses a CSV line into fields');
      await eventually('the first tokens', () => answer.body.textContent(), (text) => /^word0 /.test(text ?? ''));
      if (how === 'Stop button') {
        await textOf(chat.button, 'Stop', 'the composer button while streaming');
        await chat.button.click();
      } else {
        await chat.input.press('Escape');
      }
      const [request] = requestsSince(from);
      await eventually(`the fake provider to see the connection closed by the client (${how})`, () => ({ open: request.open, closedByClient: request.closedByClient }),
        (state) => !state.open && state.closedByClient, 5_000);
      await answer.settled(5_000);
      await textOf(answer.footer.locator('.stopped'), 'stopped', `the footer after ${how}`);
      await textOf(chat.button, 'Send', 'the composer button after stopping');
      const shown = await answer.body.textContent();
      assert.ok(shown.length < long.length, `the answer stopped early (${how}); it shows ${shown.length} of ${long.length} characters`);
      if (how === 'Stop button') await workbench.screenshot('stopped-answer');
    }
  });

  it('keyboard only: Open Chat, send, Tab to Stop, and Escape in History closes the list without stopping the answer', async function () {
    const focused = () => chat.frame.locator('body').evaluate((body) => {
      const active = body.ownerDocument.activeElement;
      return active.getAttribute('aria-label') ?? active.textContent;
    });
    fake.behave('fake-coder', { text: Array.from({ length: 120 }, (_, i) => `word${i}`).join(' '), chunkDelayMs: 100 });
    await workbench.runCommand('Omni: Open Chat');
    await eventually('the message box to have the keyboard', focused, (label) => label === 'Message');
    const page = workbench.page;
    for (const prompt of ['write a python function that sums a list', 'write a python function that parses a CSV line']) {
      await page.keyboard.type(prompt);
      await page.keyboard.press('Enter');
      const answer = await chat.last();
      await eventually('the first tokens', () => answer.body.textContent(), (text) => /^word0 /.test(text ?? ''));
      if (prompt.includes('sums')) {
        await page.keyboard.press('Tab');
        assert.equal(await focused(), 'Stop answer');
        await page.keyboard.press('Enter');
        await answer.settled(5_000);
        assert.equal(await focused(), 'Send message', 'the keyboard stays on the button, now Send');
        await chat.input.focus();
        continue;
      }
      // History (Shift+Tab from the message box walks back through the answers; the header is reached directly here).
      const history = chat.frame.getByRole('button', { name: 'History', exact: true });
      await history.focus();
      // An earlier scenario may have left the list open.
      if ((await history.getAttribute('aria-expanded')) === 'true') await page.keyboard.press('Enter');
      await page.keyboard.press('Enter');
      await chat.frame.locator('#history-panel').waitFor({ state: 'visible', timeout: 5_000 });
      await chat.frame.locator('#history-panel .history-open').first().focus();
      assert.match(await focused(), /^write a python function that sums a list/, 'the first row has the keyboard');
      await page.keyboard.press('Escape');
      await chat.frame.locator('#history-panel').waitFor({ state: 'hidden', timeout: 5_000 });
      assert.equal(await focused(), 'History');
      assert.equal(await answer.root.getAttribute('aria-busy'), 'true', 'the answer still streams');
      // Outside the list, Escape stops the answer, as the hint says.
      await page.keyboard.press('Escape');
      await answer.settled(5_000);
      await textOf(answer.footer.locator('.stopped'), 'stopped', 'the footer after Escape');
    }
  });

  it('screenshot set: a tagged answer with a code block in dark, light and high-contrast themes', async function () {
    fake.behave('fake-coder', { text: CODE_ANSWER });
    await workbench.openFile('inventory.py');
    await workbench.page.keyboard.press('Control+Home'); // no selection left over from earlier scenarios
    await workbench.runCommand('Omni: Open Chat');
    const answer = await chat.ask('write a python function that parses a CSV line into fields');
    await answer.settled();
    await answer.root.locator('pre code').waitFor();
    const themes = [
      // The picker's label, the workbench's and the webview's theme classes, the screenshot's name.
      ['Dark Modern', 'vs-dark', 'vscode-dark', 'theme-dark'],
      ['Light Modern', 'vs', 'vscode-light', 'theme-light'],
      ['Dark High Contrast', 'hc-black', 'vscode-high-contrast', 'theme-high-contrast'],
    ];
    try {
      for (const [theme, workbenchClass, webviewClass, name] of themes) {
        await workbench.setColorTheme(theme);
        await eventually(`the workbench in "${theme}"`, () => workbench.page.locator('.monaco-workbench').getAttribute('class'), (c) => c.split(/\s+/).includes(workbenchClass));
        await eventually(`the chat in "${theme}"`, () => chat.frame.locator('body').getAttribute('class'), (c) => (c ?? '').split(/\s+/).includes(webviewClass));
        // The code must stay readable: no inline-code background behind a block's lines, text unlike its background.
        const code = await answer.root.locator('pre code').evaluate((node) => {
          const style = getComputedStyle(node);
          return { background: style.backgroundColor, color: style.color, block: getComputedStyle(node.closest('.code-block')).backgroundColor };
        });
        assert.equal(code.background, 'rgba(0, 0, 0, 0)', `in "${theme}" the code block's lines have a background of their own`);
        assert.notEqual(code.color, code.block, `in "${theme}" the code has the colour of its background`);
        await workbench.page.waitForTimeout(300); // let the theme's transitions settle before the picture
        await workbench.screenshot(name);
      }
    } finally {
      await workbench.setColorTheme('Dark Modern');
    }
  });

  it('8. the conversation is still there after "Developer: Reload Window", and its answer can still be saved as a routing example', async function () {
    this.timeout(90_000);
    fake.behave('fake-general', { text: 'Call it Miso.' });
    const answer = await chat.ask('what is a good name for a cat?');
    await answer.settled();
    await textOf(answer.paragraph, 'Call it Miso.', 'the answer before the reload');

    const page = workbench.page;
    // The chat open as an editor tab too: VS Code restores the tab, as it does its own editors.
    await workbench.runCommand('Omni: Open Chat in Editor');
    const chatTab = page.locator('.tab .label-name', { hasText: /^Omni Chat$/ });
    await chatTab.waitFor();
    const reloaded = page.waitForEvent('load', { timeout: 30_000 });
    await workbench.runCommand('Developer: Reload Window');
    await reloaded;
    await page.locator('.part.statusbar').waitFor({ timeout: 60_000 });
    await chatTab.waitFor({ timeout: 30_000 });
    await chatTab.click();
    await workbench.runCommand('View: Close Editor');
    await chatTab.waitFor({ state: 'detached' });
    await workbench.runCommand('Omni: Open Chat', 60_000);
    await textOf(chat.userTurns, 'what is a good name for a cat?', 'the question after the reload', 30_000);
    const restored = chat.answer(0);
    await textOf(restored.paragraph, 'Call it Miso.', 'the answer after the reload');
    assert.equal(await restored.model.textContent(), 'Fake General');
    assert.equal(await chat.answers.count(), 1);
    await workbench.screenshot('after-reload');

    // What the answer was routed on was saved with the conversation, so it can still become a routing example.
    await restored.root.getByRole('button', { name: 'Save as routing example' }).click();
    const picker = page.locator('.quick-input-widget');
    await picker.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: /^general_chat$/ }) }).click();
    const toast = page.locator('.notification-toast', { hasText: 'saved as line' });
    await toast.waitFor();
    assert.match(await toast.innerText(), /expecting general_chat \(the route Omni chose\)\./);
  });

  it('9. after a reload, Retry with… under a Refactor answer opens its diff against the file as it is now, or says why not', async function () {
    this.timeout(120_000);
    const page = workbench.page;
    fake.behave('fake-coder', { text: PROPOSAL });
    await workbench.openFile('refactor_me.py');
    await workbench.selectLines(3, 5);
    await workbench.runCommand('Omni: Refactor Selection', 30_000, { opensQuickInput: true });
    const input = page.locator('.quick-input-widget .quick-input-box input');
    await input.fill('inline the temporary');
    await input.press('Enter');
    const diffTab = page.locator('.tab .label-name', { hasText: /^Refactor: refactor_me\.py \(original ↔ proposed\)$/ });
    await diffTab.waitFor({ timeout: 20_000 });
    await workbench.tidy();

    const reloaded = page.waitForEvent('load', { timeout: 30_000 });
    await workbench.runCommand('Developer: Reload Window');
    await reloaded;
    await page.locator('.part.statusbar').waitFor({ timeout: 60_000 });
    await workbench.runCommand('Omni: Open Chat', 60_000);
    await textOf(chat.userTurns, 'Refactor the selection (refactor_me.py:3-5): inline the temporary', 'the refactor request after the reload', 30_000);
    const retryWithGeneral = async () => {
      const answer = await chat.last();
      await answer.root.locator('.retry-menu summary').click();
      await answer.root.locator('.retry-menu .menu-item', { hasText: /^Fake General/ }).click();
    };

    // Written outside VS Code: the retry must not start before VS Code has read the file again.
    const rewrite = async (text) => {
      workbench.writeFile('refactor_me.py', text);
      await workbench.openFile('refactor_me.py');
      await eventually('refactor_me.py as written on disk', () => workbench.editorLines(), (lines) => lines.join('\n') === text);
    };

    // The code was changed meanwhile: there is nothing to make a diff against, and the user is told.
    await rewrite(SOURCE.replace('total = a + b', 'total = b + a'));
    fake.behave('fake-general', { text: '```python\ndef add(a, b):\n    return sum((a, b))\n```' });
    await retryWithGeneral();
    await page.locator('.notification-toast', { hasText: 'Omni: the code the refactoring was asked about is not in refactor_me.py exactly once any more' }).waitFor();
    assert.equal(await diffTab.count(), 0, 'no diff opened');

    // Back as it was: the retried answer's diff opens, and its Apply edits the file.
    await rewrite(SOURCE);
    await retryWithGeneral();
    await diffTab.waitFor({ timeout: 20_000 });
    const modified = page.locator('.editor-group-container.active .monaco-diff-editor .editor.modified .monaco-editor').first();
    const applied = ['import os', '', 'def add(a, b):', '    return sum((a, b))', '', 'print(add(1, 2))', ''];
    await eventually('the retried proposal on the right of the diff', () => workbench.editorLines(modified), (lines) => lines.join('\n') === applied.join('\n'));
    await page.locator('.notification-toast', { hasText: 'Omni: the refactoring proposal is open as a diff.' }).locator('.monaco-button', { hasText: /^Apply$/ }).click();
    await diffTab.waitFor({ state: 'detached' });
    await eventually('the applied refactoring in refactor_me.py', () => workbench.editorLines(), (lines) => lines.join('\n') === applied.join('\n'));
  });

  it('Ctrl+Alt+J opens the chat with the keyboard in the message box: from an editor with the chat hidden or shown, and from inside the chat', async function () {
    const { page } = workbench;
    const composerHasFocus = () => chat.input.evaluate((node) => node.ownerDocument.activeElement === node && node.ownerDocument.hasFocus());
    const editor = page.locator('.editor-group-container.active .monaco-editor .view-lines').first();
    await workbench.openFile('refactor_me.py');
    // Hidden: the Explorer takes the side bar, and the chat view is gone from the screen.
    await workbench.runCommand('View: Show Explorer');
    await eventually('the Explorer in place of the chat', () => page.locator('.part.sidebar .composite.title').innerText(), (title) => /^explorer/i.test(title));
    for (const where of ['the chat hidden', 'the chat shown']) {
      await editor.click();
      await page.keyboard.press('Control+Alt+J');
      await eventually(`the message box to have the keyboard after Ctrl+Alt+J with ${where}`, composerHasFocus, (focused) => focused);
      await editor.click();
      await eventually('the editor to take the keyboard back', composerHasFocus, (focused) => !focused);
    }
    // Inside the chat the webview passes the key on to VS Code, which sends the keyboard back to the message box.
    const history = chat.frame.getByRole('button', { name: 'History', exact: true });
    await history.focus();
    await page.keyboard.press('Control+Alt+J');
    await eventually('the message box to have the keyboard after Ctrl+Alt+J on History', composerHasFocus, (focused) => focused);
  });

  it('Ctrl+Alt+E on a selection in the Output panel says Explain works in editors, instead of explaining the file open behind it', async function () {
    const { page } = workbench;
    // The binding used to take the code around the cursor of this file, which the user never selected.
    await workbench.openFile('refactor_me.py');
    await workbench.runCommand('Omni: Show Routing Log');
    await workbench.output(/Omni activated/);
    const from = fake.chatRequests().length;
    await page.locator('.part.panel .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Control+Alt+E');
    const toast = page.locator('.notification-toast', { hasText: 'Omni: Explain Selection works on code in an editor, not in the Output panel.' });
    await toast.waitFor();
    assert.equal(requestsSince(from).length, 0, 'nothing was sent');
    await toast.locator('.monaco-button', { hasText: /^Open Chat$/ }).click();
    await eventually('the focus in the message box, to paste the output into', () => chat.input.evaluate((node) => node.ownerDocument.activeElement === node && node.ownerDocument.hasFocus()), (focused) => focused);

    // From the command palette too: it used to explain the code around the cursor in refactor_me.py.
    await page.locator('.part.panel .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+A');
    await workbench.runCommand('Omni: Explain Selection');
    await toast.waitFor();
    assert.equal(requestsSince(from).length, 0, 'nothing was sent from the palette either');
  });
});

/** Drags the side bar wider so the chat is readable in the screenshots (best effort: a narrow chat still works). */
async function widenSideBar(page) {
  const sidebar = await page.locator('.part.sidebar').boundingBox();
  if (!sidebar) return;
  const x = sidebar.x + sidebar.width;
  const y = sidebar.y + sidebar.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + 200, y, { steps: 5 });
  await page.mouse.up();
}

/** The file of the saved conversation that asked `question`, in the workspace storage under `userDataDir`. */
function conversationFile(userDataDir, question) {
  const storage = join(userDataDir, 'User', 'workspaceStorage');
  for (const workspace of existsSync(storage) ? readdirSync(storage) : []) {
    const folder = join(storage, workspace, 'omni-dev.omni-router', 'conversations');
    for (const name of existsSync(folder) ? readdirSync(folder).filter((n) => n.endsWith('.json')) : []) {
      if (readFileSync(join(folder, name), 'utf8').includes(JSON.stringify(question).slice(1, -1))) return join(folder, name);
    }
  }
  return undefined;
}

/** Makes `file` undeletable until the returned function is called: its folder read-only, and for root (whom that does not stop) the file immutable. */
function lockAgainstDeletion(file) {
  const root = process.getuid?.() === 0;
  if (root) execFileSync('chattr', ['+i', file]);
  else chmodSync(dirname(file), 0o555);
  return () => (root ? execFileSync('chattr', ['-i', file]) : chmodSync(dirname(file), 0o755));
}

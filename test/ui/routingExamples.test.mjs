// A team keeps routing examples beside its policy (.omni/policies.test.jsonl). A person runs them with
// "Omni: Run Routing Examples" and sees the result in a notification and in VS Code's Testing view, with the
// failing example under the examples file.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, policyText, uiPolicy } from './omni.mjs';
import { openWorkbench } from './workbench.mjs';

const EXAMPLES = [
  '{"prompt": "explain this", "command": "explain", "route": "code_explanation"}',
  '{"prompt": "tidy this up", "command": "refactor", "route": "code_explanation"}',
].join('\n');

describe('Omni: Run Routing Examples (packaged .vsix)', function () {
  let workbench;

  before(async function () {
    this.timeout(120_000);
    workbench = await openWorkbench({
      name: 'routing-examples',
      settings: { 'workbench.colorTheme': 'Default Dark Modern' },
      files: { '.omni/policies.json': policyText(uiPolicy()), '.omni/policies.test.jsonl': `${EXAMPLES}\n` },
    });
    workbench.page.setDefaultTimeout(15_000);
  });

  after(async function () {
    await workbench?.close();
  });

  it('says how many passed and failed, and the Testing view lists the examples with the failure', async function () {
    const { page } = workbench;
    await workbench.runCommand('Omni: Run Routing Examples');
    const toast = page.locator('.notification-toast', { hasText: 'Omni routing examples' });
    await toast.waitFor();
    assert.match(await toast.innerText(), /Omni routing examples: 1 passed, 1 failed\./);
    // Show Results opens the run's output, which says what failed and why (it used to be empty).
    await toast.getByRole('button', { name: 'Show Results' }).click();
    const output = page.locator('.xterm-rows');
    await eventually('the run\'s output', () => output.innerText().catch(() => ''), (text) => /1 passed, 1 failed/.test(text), 20_000);
    assert.match(await output.innerText(), /policies\.test\.jsonl:2: expected code_explanation, got refactoring: rule 2/);
    await workbench.screenshot('routing-examples-output');

    await workbench.runCommand('Testing: Focus on Test Explorer View');
    const tree = page.locator('.test-explorer .monaco-list');
    await tree.waitFor();
    const rows = await eventually(
      'the Testing view to list the examples file',
      () => tree.locator('.monaco-list-row').allInnerTexts(),
      (texts) => texts.some((text) => text.includes('policies.test.jsonl')),
    );
    const file = tree.locator('.monaco-list-row', { hasText: 'policies.test.jsonl' }).first();
    if ((await file.getAttribute('aria-expanded')) === 'false') await file.click();
    const examples = await eventually(
      'both examples under the file',
      () => tree.locator('.monaco-list-row').allInnerTexts(),
      (texts) => texts.some((text) => text.includes('explain this')) && texts.some((text) => text.includes('tidy this up')),
    );
    assert.ok(rows.length > 0 && examples.length >= 3, `the Testing view shows:\n${examples.join('\n')}`);
    const failed = tree.locator('.monaco-list-row', { hasText: 'tidy this up' }).first();
    await eventually(
      'the failing example to be marked failed',
      () => failed.locator('.codicon').evaluateAll((icons) => icons.map((icon) => icon.className).join(' ')),
      (classes) => /testing-failed/.test(classes),
    );
    await workbench.screenshot('routing-examples');
  });

  it('a symlinked .omni folder edited outside VS Code (git pull, another editor) updates the examples in the Testing view', async function () {
    const { page } = workbench;
    // A team's .omni kept elsewhere (a shared repo) and linked in: VS Code's file watcher does not follow the link.
    const shared = mkdtempSync(join(tmpdir(), 'omni-shared-'));
    const omni = join(workbench.run.workspace, '.omni');
    writeFileSync(join(shared, 'policies.json'), policyText(uiPolicy()));
    const linked = '{"prompt": "write a parser for dates", "route": "code_generation"}';
    writeFileSync(join(shared, 'policies.test.jsonl'), `${linked}\n`);
    rmSync(omni, { recursive: true });
    symlinkSync(shared, omni);
    try {
      await workbench.runCommand('Testing: Focus on Test Explorer View');
      const tree = page.locator('.test-explorer .monaco-list');
      const listed = async () => {
        const file = tree.locator('.monaco-list-row', { hasText: 'policies.test.jsonl' }).first();
        if ((await file.getAttribute('aria-expanded', { timeout: 1_000 })) === 'false') await file.click();
        return tree.locator('.monaco-list-row').allInnerTexts();
      };
      await eventually('the linked examples under the file', listed, (texts) => texts.some((text) => text.includes('write a parser for dates')));
      // Written with Node, as git or another editor would: no VS Code save event, and no workspace watcher sees the file.
      // Written again until seen: the watcher of the link's target starts a moment after Omni has read the file.
      const added = `${linked}\n{"prompt": "what should I cook tonight?", "route": "general_chat"}\n`;
      const edit = () => {
        writeFileSync(join(shared, 'policies.test.jsonl'), added);
        return listed();
      };
      await eventually('the example added outside VS Code', edit, (texts) => texts.some((text) => text.includes('what should I cook tonight?')));
    } finally {
      rmSync(omni);
      rmSync(shared, { recursive: true });
      mkdirSync(omni);
      writeFileSync(join(omni, 'policies.json'), policyText(uiPolicy()));
    }
  });

  it('with no policy in the workspace, offers to create one first; the offer writes it from the template the user picks', async function () {
    const { page } = workbench;
    rmSync(join(workbench.run.workspace, '.omni'), { recursive: true });
    await workbench.runCommand('Omni: Run Routing Examples');
    const toast = page.locator('.notification-toast', { hasText: 'this workspace has no .omni/policies.json yet' });
    await toast.waitFor();
    await toast.getByRole('button', { name: 'Create Policy' }).click();

    const picker = page.locator('.quick-input-widget');
    await picker.locator('.quick-input-title', { hasText: 'Omni: Create Policy' }).waitFor();
    await picker.locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: /^Local models with Ollama$/ }) }).click();
    await page.locator('.editor-group-container.active .tab.active .label-name', { hasText: /^policies\.json$/ }).waitFor();
    const policy = join(workbench.run.workspace, '.omni/policies.json');
    assert.ok(existsSync(policy), 'the policy was written');
    const { models } = JSON.parse(readFileSync(policy, 'utf8'));
    assert.ok(Object.values(models).every((model) => model.provider === 'ollama'), readFileSync(policy, 'utf8'));
  });
});

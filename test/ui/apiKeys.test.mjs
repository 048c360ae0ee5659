// A person manages API keys from the command palette: Set API Key offers the providers that take a key, and Remove
// API Key offers the keys Omni stored, also one whose provider has since left the settings.
import * as assert from 'node:assert/strict';
import { HARNESS_SETTINGS } from '../vscode/harness.mjs';
import { eventually, textOf } from './omni.mjs';
import { openWorkbench } from './workbench.mjs';

const GATEWAY = { type: 'openai-compatible', baseURL: 'https://gateway.example.com/v1' };
const PROVIDERS = {
  gateway: GATEWAY, // remote, no variable: a stored key is its only key
  lab: { type: 'openai-compatible', baseURL: 'http://127.0.0.1:9/v1' }, // on this machine, no variable: takes no key
  openai: { baseURL: 'ftp://api.example.com' }, // broken: the built-in OpenAI is not used in its place
};

describe('Omni: Set API Key and Remove API Key', function () {
  let workbench;
  before(async function () { workbench = await openWorkbench({ name: 'api-keys', settings: { 'omni.providers': PROVIDERS } }); });
  after(async function () { await workbench?.close(); });

  const picker = () => workbench.page.locator('.quick-input-widget');
  const rows = () => picker().locator('.quick-input-list .monaco-list-row');
  // A row's detail line ("or set HF_TOKEN") is a label of its own: take each row's first.
  const labels = () => rows().evaluateAll((list) => list.map((row) => row.querySelector('.label-name')?.textContent?.trim()));
  // Each row as the person reads it: its label, then the description beside it, if any.
  const labelled = () => rows().evaluateAll((list) => list.map((row) =>
    [row.querySelector('.label-name'), row.querySelector('.label-description')].map((node) => node?.textContent?.trim()).filter(Boolean).join(' ')));
  const toast = (text) => workbench.page.locator('.notification-toast', { hasText: text });

  it('offers only the usable providers that take a key, and says where the key is sent', async function () {
    await workbench.runCommand('Omni: Set API Key', 30_000, { opensQuickInput: true });
    await eventually('the providers offered', labels, (shown) => shown.includes('gateway'));
    // A provider of the user's own is labelled by its name: the name is not repeated beside it.
    assert.deepEqual(await labelled(), ['Hugging Face huggingface', 'gateway']);
    await rows().filter({ has: workbench.page.locator('.label-name', { hasText: /^gateway$/ }) }).click();

    await textOf(picker().locator('.quick-input-title'), 'Omni: API key for gateway', 'the input box title');
    await textOf(picker().locator('.quick-input-message'), /sent only to https:\/\/gateway\.example\.com\/v1\. /, 'the input box prompt');
    await picker().locator('.quick-input-box input').fill('sk-gateway-123');
    await picker().locator('.quick-input-box input').press('Enter');
    await toast('Omni: key saved for gateway.').waitFor();

    await workbench.runCommand('Omni: Remove API Key', 30_000, { opensQuickInput: true });
    await eventually('the stored keys offered for removal', labelled, (shown) => shown.length > 0);
    assert.deepEqual(await labelled(), ['gateway']);
    await workbench.page.keyboard.press('Escape');
    await picker().waitFor({ state: 'hidden' });
  });

  it('still offers that key for removal after its provider left the settings, then has none left', async function () {
    // The user deletes the entry in their settings.json, as the notification about the broken one invites them to.
    await workbench.runCommand('Preferences: Open User Settings (JSON)');
    await workbench.page.locator('.editor-group-container.active .tab.active .label-name', { hasText: /^settings\.json$/ }).waitFor();
    await workbench.page.locator('.editor-group-container.active .monaco-editor .view-lines').click();
    await workbench.page.keyboard.press('Control+A');
    await workbench.page.keyboard.insertText(JSON.stringify({ ...HARNESS_SETTINGS, 'omni.providers': { lab: PROVIDERS.lab } }, null, 2));
    await workbench.page.keyboard.press('Control+S');
    const gone = 'no longer in the "omni.providers" user setting';
    await eventually('the stored key listed as no longer configured', async () => {
      if (await picker().isVisible()) await workbench.page.keyboard.press('Escape');
      await workbench.runCommand('Omni: Remove API Key', 30_000, { opensQuickInput: true });
      await rows().first().waitFor({ timeout: 5_000 });
      return (await rows().locator('.label-description').allTextContents()).map((text) => text.trim());
    }, (descriptions) => descriptions.length === 1 && descriptions[0] === gone, 30_000);
    assert.deepEqual(await labelled(), [`gateway ${gone}`]);
    await rows().first().click();
    await toast('Omni: key removed for gateway.').waitFor();

    await workbench.runCommand('Omni: Remove API Key');
    await toast('Omni: no API key is stored in VS Code').waitFor();
  });
});

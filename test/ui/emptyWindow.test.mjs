// A first-time user installs Omni and starts in an empty window, with no folder open. Whatever needs a folder
// (a policy, routing examples) says so with a button to VS Code's Open Folder dialog rather than leaving them stuck.
import { Chat, textOf } from './omni.mjs';
import { openWorkbench } from './workbench.mjs';

describe('Omni in a window with no folder open', function () {
  let workbench;
  before(async function () { workbench = await openWorkbench({ name: 'empty-window', window: 'empty' }); });
  after(async function () { await workbench?.close(); });
  afterEach(async function () {
    // The dialog a test opened, then its notifications.
    await workbench.page.keyboard.press('Escape');
    await workbench.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    await workbench.runCommand('Notifications: Clear All Notifications');
  });

  /** Clicks the notification's "Open Folder…" and waits for VS Code's own Open Folder dialog. */
  async function openFolderFrom(text) {
    const { page } = workbench;
    const toast = page.locator('.notification-toast', { hasText: text });
    await toast.getByRole('button', { name: 'Open Folder…' }).click();
    await page.locator('.quick-input-widget .quick-input-title', { hasText: /^Open Folder$/ }).waitFor();
  }

  it('Create Policy asks for a folder first and opens the Open Folder dialog', async function () {
    await workbench.runCommand('Omni: Create Policy');
    await openFolderFrom('Omni: open a folder first; the policy lives in its .omni/policies.json.');
  });

  it('the empty chat offers its first steps as buttons: Set API Key asks which provider, Create Policy asks for a folder', async function () {
    await workbench.runCommand('Omni: Open Chat');
    const welcome = workbench.webview().getByRole('region', { name: 'Getting started' });
    await welcome.getByRole('button', { name: 'Set API Key' }).click();
    const picker = workbench.page.locator('.quick-input-widget');
    await textOf(picker.locator('.quick-input-title'), 'Omni: Set API Key', 'the picker Set API Key opens');
    await picker.locator('.quick-input-box input').press('Escape');
    await picker.waitFor({ state: 'hidden' });
    await welcome.getByRole('button', { name: 'Create Policy' }).click();
    await openFolderFrom('Omni: open a folder first; the policy lives in its .omni/policies.json.');
  });

  it('Run Routing Examples asks for a folder first and opens the Open Folder dialog', async function () {
    await workbench.runCommand('Omni: Run Routing Examples');
    await openFolderFrom("Omni: routing examples live in a folder's .omni/policies.test.jsonl");
  });

  it('Save as routing example, under an answer asked with no folder, opens the Open Folder dialog', async function () {
    await workbench.runCommand('Omni: Open Chat');
    const chat = new Chat(workbench);
    const answer = await chat.ask('how do I bake bread?');
    await answer.settled(30_000);
    await answer.root.getByRole('button', { name: 'Save as routing example' }).click();
    await openFolderFrom('this request was made with no folder open. Open a folder, ask there, then save that answer.');
  });
});

// The simple omni.* settings: a value Omni cannot use is named once, with the default used instead and a button to the
// setting, instead of being replaced by the default without a word.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fakeProvider, omniApi, testPolicy, usePolicy, waitFor, watchMessages, type ShownMessage } from './helpers';

suite('Settings', () => {
  suiteSetup(async () => {
    await omniApi();
  });

  test('an invalid value is reported once per value, as the settings change, and the button opens that setting', async () => {
    const config = () => vscode.workspace.getConfiguration('omni');
    const about = (shown: ShownMessage[]) => shown.filter((message) => message.text.includes('"omni.firstTokenTimeoutMs"'));
    await watchMessages(async (shown) => {
      try {
        await config().update('firstTokenTimeoutMs', 5, vscode.ConfigurationTarget.Global);
        const [first] = await waitFor('the warning about the value 5', () => (about(shown).length > 0 ? about(shown) : undefined));
        assert.equal(
          first.text,
          'Omni: the setting "omni.firstTokenTimeoutMs" is 5, which is not valid: it must be at least 1000. Omni uses the default, 20000, instead.',
        );
        assert.deepEqual(first.buttons, ['Open Setting']);

        // Another setting changes: the same bad value is not reported again.
        await config().update('showReasoning', true, vscode.ConfigurationTarget.Global);
        await new Promise((r) => setTimeout(r, 500));
        assert.equal(about(shown).length, 1);

        await config().update('firstTokenTimeoutMs', 'soon', vscode.ConfigurationTarget.Global);
        const second = await waitFor('the warning about "soon"', () => about(shown)[1]);
        assert.match(second.text, /is "soon", which is not valid: it must be a number\. Omni uses the default, 20000, instead\.$/);

        second.click('Open Setting');
        await waitFor('the Settings editor', () => vscode.window.tabGroups.activeTabGroup.activeTab?.label === 'Settings');
      } finally {
        await config().update('firstTokenTimeoutMs', undefined, vscode.ConfigurationTarget.Global);
        await config().update('showReasoning', undefined, vscode.ConfigurationTarget.Global);
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      }
    });
  });

  test('omni.stallTimeoutMs is how long an answer may go silent before the next model answers, and the note names it', async () => {
    const config = vscode.workspace.getConfiguration('omni');
    const fake = await fakeProvider();
    // A model of its own, so the failure it records does not make the other suites' models skipped for a cool-down.
    const policy = testPolicy() as { models: Record<string, unknown>; routes: Array<{ name: string; model: string; fallbacks?: string[] }> };
    policy.models.staller = { provider: 'fake', model: 'fake-staller' };
    for (const route of policy.routes) if (route.name === 'code_generation') Object.assign(route, { model: 'staller', fallbacks: ['general'] });
    fake.behave('fake-staller', { text: 'one two three', chunkDelayMs: 15_000 });
    fake.behave('fake-general', { text: 'general answer' });
    try {
      await usePolicy(policy);
      await config.update('stallTimeoutMs', 1500, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('omni.newChat');
      const api = await omniApi();
      const started = Date.now();
      const result = await api.ask('write a python function that parses a CSV line');
      const elapsed = Date.now() - started;
      assert.equal(result.ok, true);
      assert.equal(result.text, 'general answer');
      assert.ok(elapsed >= 1500 && elapsed < 10_000, `answered after ${elapsed} ms`);
      const latest = (await api.conversations()).sort((a, b) => b.updatedAt - a.updatedAt)[0];
      const answered = (await api.conversation(latest.id))?.turns.at(-1);
      assert.ok(answered?.role === 'assistant');
      assert.deepEqual(
        answered.notes.map((note) => note.cause),
        ['fake stopped streaming for 1500 ms; raise the "omni.stallTimeoutMs" setting to wait longer'],
      );
    } finally {
      await config.update('stallTimeoutMs', undefined, vscode.ConfigurationTarget.Global);
      await usePolicy(testPolicy());
    }
  });
});

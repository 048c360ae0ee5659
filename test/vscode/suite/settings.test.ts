// The simple omni.* settings: a value Omni cannot use is named once, with the default used instead and a button to the
// setting, instead of being replaced by the default without a word.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { omniApi, waitFor, watchMessages, type ShownMessage } from './helpers';

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
});
